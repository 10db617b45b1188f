// Starts a conversion worker (and the expiry sweeper) on top of the core services.
import type { Logger as Pino } from 'pino';
import type { Config } from '../src/config/index.js';
import { SECTIONS } from '../src/config/settings.js';
import type { EngineClass } from '../src/core/catalog/engine-classes.js';
import type { Core } from '../src/runtime/index.js';
import { Sweeper } from '../src/services/sweeper.js';
import { ConversionWorker } from './conversion-worker.js';
import { createEngines, type EngineSettings } from './converters/registry.js';
import { createInputAdapters, createInputListers } from './inputs/index.js';
import { createOutputDeliverers } from './outputs/index.js';
import { NotificationWorker } from './notifications/notification-worker.js';
import { Sandbox, type JobToolLimits } from './tools/sandbox/index.js';
import { warmPools } from './warm-pools.js';

export interface RunningWorker {
  close(): Promise<void>;
}

export async function startWorker(core: Core, log: Pino): Promise<RunningWorker> {
  const { config } = core;
  const sandbox = await startSandbox(config);
  const report = sandbox.report();
  if (report.kind === 'bubblewrap') log.info({ sandbox: report }, 'tool sandbox: bubblewrap (tools see only their job\'s folder, no network)');
  else log.warn({ sandbox: report }, `tool sandbox: resource limits and a separate user only, no namespaces (${report.reason ?? ''}); install bubblewrap and allow user namespaces for full confinement`);
  const remote = { allowPrivate: config.input.allowPrivateUrls, timeoutMs: config.storage.remote.timeoutMs, partSizeBytes: config.storage.remote.partSizeBytes };
  const engines = createEngines(engineSettings(config, sandbox));
  const worker = new ConversionWorker({
    config,
    accounts: core.accounts,
    repository: core.repository,
    endings: core.serviceDeps.endings,
    services: {
      store: core.serviceDeps.store,
      inputs: createInputAdapters(core.serviceDeps.store, {
        allowPrivate: config.input.allowPrivateUrls,
        timeoutMs: config.input.downloadTimeoutMs,
        maxRedirects: config.input.maxRedirects,
      }, remote),
      listers: createInputListers(remote),
      outputs: createOutputDeliverers(config.storage, remote),
      secrets: core.serviceDeps.secrets,
      engines,
      sandbox,
      toolLimits: toolLimits(config),
      commandEnabled: config.v2.commandEnabled,
    },
    connection: core.connect(),
    eventsConnection: core.connect(),
    subscriber: core.connect(),
    log,
    metrics: core.metrics,
  });
  await worker.waitUntilReady();
  // Not awaited: jobs are taken while the pools start; close() stops the starts still going.
  // The pools' engines (LibreOffice, Chromium) are heavy: a worker that takes no heavy job has no use for them.
  if (config.worker.warmPools && config.worker.concurrency > 0) void warmPools(engines.pools, log);
  const notifications = new NotificationWorker(config, core.connect(), log, core.serviceDeps.webhooks);
  await notifications.waitUntilReady();
  const sweeper = new Sweeper(core.serviceDeps, log);
  sweeper.start();
  return {
    async close() {
      await sweeper.stop();
      await worker.close();
      await engines.close();
      await notifications.close();
    },
  };
}

/** The tool sandbox from the settings: DATA_DIR and TEMP_DIR hidden, limits per tool process. */
export function startSandbox(config: Config): Promise<Sandbox> {
  const s = config.sandbox;
  return Sandbox.start({
    mode: s.mode,
    bwrap: s.bwrap,
    uid: s.uid,
    gid: s.gid,
    limits: { memoryBytes: s.memoryBytes, cpuSeconds: s.cpuSeconds, fileSizeBytes: s.fileSizeBytes, processes: s.processes, niceness: s.heavyNiceness },
    hidden: [...new Set([config.dataDir, config.worker.tempDir])],
    tempDir: config.worker.tempDir,
    locale: s.locale,
  });
}

/**
 * Each engine class's memory per tool, with the setting that sets it (named when a tool goes
 * over it), and its tools' priority: light tools run at the worker's own, so a burst of small
 * jobs gets the cores at once while long encodes run on.
 */
export function toolLimits(config: Config): Record<EngineClass, JobToolLimits> {
  const { memoryBytes, lightMemoryBytes } = SECTIONS.sandbox.settings;
  return {
    heavy: { memoryBytes: config.sandbox.memoryBytes, setting: memoryBytes.name, niceness: config.sandbox.heavyNiceness },
    light: { memoryBytes: config.sandbox.lightMemoryBytes, setting: lightMemoryBytes.name, niceness: 0 },
  };
}

/** Each engine's settings, from the config (one section per engine) and the tool sandbox. */
export function engineSettings(config: Config, sandbox: Sandbox): EngineSettings {
  return {
    image: config.image,
    media: config.media,
    office: { ...config.office, maxPages: config.pdf.maxPages, tempDir: config.worker.tempDir, sandbox },
    pdf: { ...config.pdf, maxImagePixels: config.image.maxPixels },
    chromium: { ...config.chromium, allowPrivateUrls: config.input.allowPrivateUrls, tempDir: config.worker.tempDir, toolSandbox: sandbox },
    ebook: { ...config.ebook, browserSandbox: sandbox.browsersCanSandbox, archive: config.archive, maxPixels: config.image.maxPixels, maxPages: config.pdf.maxPages },
    vector: { ...config.vector, maxPixels: config.image.maxPixels },
    archive: config.archive,
    ghostscript: { ghostscript: config.pdf.ghostscript },
    pdfTools: { qpdf: config.pdf.qpdf, ocrmypdf: config.pdf.ocrmypdf, ghostscript: config.pdf.ghostscript, pdfaIccProfile: config.pdf.pdfaIccProfile, pdfxIccProfile: config.pdf.pdfxIccProfile, maxPages: config.pdf.maxPages },
    trace: { potrace: config.trace.potrace, maxPixels: config.image.maxPixels },
    watermark: { maxPixels: config.image.maxPixels, maxPages: config.pdf.maxPages, threads: config.image.threads },
    exiftool: { exiftool: config.metadata.exiftool },
    fonts: config.fonts,
    markup: { ...config.markup, maxPages: config.pdf.maxPages },
    cad: { ...config.cad, maxPixels: config.image.maxPixels },
    model: config.model,
    magick: { ...config.moreImages, maxPixels: config.image.maxPixels },
  };
}
