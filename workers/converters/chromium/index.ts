// The website engine: a supervised pool of warm Chromium browsers (puppeteer-core) capturing web
// pages and HTML files as png/jpg/webp screenshots or printed PDFs.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { appError, AppError } from '../../../src/core/errors.js';
import type { ConvertRequest, Converter, ConverterContext, OutputFile, PoolWarmer } from '../types.js';
import { CaptureLimit } from './capture-limit.js';
import { capture } from './capture.js';
import { htmlContentType, MAX_URL_LENGTH, parseWebsiteUrl, planCapture } from './command.js';
import { LOCAL_ORIGIN, type LocalPage } from './network-guard.js';
import { BrowserPool } from './pool.js';
import type { Sandbox } from '../../tools/sandbox/index.js';

export interface ChromiumEngineSettings {
  readonly path: string;
  readonly poolSize: number;
  readonly maxCaptures: number;
  /** A browser holding more resident memory after a capture is replaced; 0: no limit. */
  readonly maxRssBytes: number;
  /** Whether pages may reach private and loopback addresses (ALLOW_PRIVATE_URLS). */
  readonly allowPrivateUrls: boolean;
  /** Where browser profiles live (removed when the engine closes). */
  readonly tempDir: string;
  /** A capture taking longer fails with CONVERSION_FAILED (its context is closed). */
  readonly captureTimeoutMs: number;
  /** Full-page screenshots are cut at this height, in pixels. */
  readonly maxPageHeight: number;
  /** Bytes a page may receive over all its requests. */
  readonly maxPageBytes: number;
  /** Run Chromium in its own sandbox when its user is not root (it needs user namespaces). */
  readonly sandbox: boolean;
  /** The tool sandbox every browser runs in. */
  readonly toolSandbox: Sandbox;
}

export interface ChromiumEngine extends Converter<'chromium'>, PoolWarmer {
  /** Closes every browser (also those still starting) and removes their profiles. */
  close(): Promise<void>;
}

/** PDFs are cut after this many pages (unless page_range asks for others). */
const MAX_PDF_PAGES = 1000;
const LOCAL_PATH = '/index.html';
/** How much of an HTML file is checked for UTF-8 to choose its charset. */
const SNIFF_BYTES = 64 * 1024;

interface Target {
  readonly url: string;
  readonly shown: string;
  readonly localPage?: LocalPage;
}

export function createChromiumEngine(settings: ChromiumEngineSettings): ChromiumEngine {
  const pool = new BrowserPool({
    executablePath: settings.path,
    size: settings.poolSize,
    maxCaptures: settings.maxCaptures,
    maxRssBytes: settings.maxRssBytes,
    allowPrivate: settings.allowPrivateUrls,
    sandbox: settings.sandbox,
    toolSandbox: settings.toolSandbox,
    profileRoot: path.join(settings.tempDir, `chromium-${process.pid}-${Date.now().toString(36)}`),
    launchTimeoutMs: 30_000,
    protocolTimeoutMs: settings.captureTimeoutMs + 30_000,
  });
  const limits = { maxHeightPx: settings.maxPageHeight, maxPdfPages: MAX_PDF_PAGES };

  return {
    async convert(request: ConvertRequest<'chromium'>, context: ConverterContext): Promise<readonly OutputFile[]> {
      const plan = planCapture(request.outputFormat, request.options, limits);
      const target = request.inputFormat === 'website' ? await websiteTarget(request.inputPath, settings.allowPrivateUrls) : await htmlTarget(request.inputPath);
      const name = `${request.outputName}.${request.outputFormat}`;
      const outputPath = path.join(request.outputDir, name);
      const limit = new CaptureLimit(context.signal, target.shown, settings.captureTimeoutMs);
      const session = {
        ...(target.localPage === undefined ? {} : { localPage: target.localPage }),
        maxBytes: settings.maxPageBytes,
        onLimit: () => limit.stop(appError('TOO_LARGE', `The capture of ${target.shown} was stopped: the page received more than ${describeBytes(settings.maxPageBytes)} over all its requests, the server's limit.`)),
      };
      try {
        await pool.run(session, limit.signal, ({ page, guard }) => {
          limit.startClock();
          return capture(page, guard, { url: target.url, shown: target.shown, plan, outputPath, signal: limit.signal, phase: (current) => void (limit.phase = current), progress: context.progress });
        });
      } catch (error) {
        throw limit.signal.aborted ? limit.signal.reason : failure(error, target);
      } finally {
        limit.dispose();
      }
      const size = await stat(outputPath).then((s) => s.size, () => 0);
      if (size === 0) throw appError('CONVERSION_FAILED', `Chromium wrote no ${request.outputFormat} output for ${target.shown}.`);
      return [{ path: outputPath, name }];
    },
    warm: () => pool.warm(),
    close: () => pool.close(),
  };
}

async function websiteTarget(inputPath: string, allowPrivate: boolean): Promise<Target> {
  const text = await readHead(inputPath, MAX_URL_LENGTH + 1);
  const url = parseWebsiteUrl(text.toString('utf8'), allowPrivate);
  return { url: url.href, shown: url.href.slice(0, 200) };
}

async function htmlTarget(inputPath: string): Promise<Target> {
  const head = await readHead(inputPath, SNIFF_BYTES);
  let validUtf8 = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    validUtf8 = false;
  }
  const contentType = htmlContentType(head.toString('latin1'), validUtf8);
  return { url: `${LOCAL_ORIGIN}${LOCAL_PATH}`, shown: 'the uploaded HTML page', localPage: { path: LOCAL_PATH, file: inputPath, contentType } };
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Chromium's own failures (a crash, a protocol error) as a conversion error. */
function failure(error: unknown, target: Target): unknown {
  if (error instanceof AppError) return error;
  const reason = ((error as Error).message ?? String(error)).split('\n')[0] ?? '';
  return appError('CONVERSION_FAILED', `Chromium could not capture ${target.shown}: ${reason}`, error);
}

function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
