// A pool of warm Chromium browsers (puppeteer-core over a pipe). The supervisor
// (workers/tools/supervisor.ts) starts them on first use or, warmed, with the worker, checks
// them after idling, and replaces them
// after `maxCaptures` captures, above `maxRssBytes`, when they crash or disconnect, or when
// closing a context hangs. What is Chromium's stays here: each slot runs one capture at a time
// in a fresh incognito context whose traffic goes through the slot's guard proxy; the context is
// closed after the answer, and the next one is prepared in the background. An abort does not
// cost the browser: the capture stops and its context is closed. close() stops every browser
// and guard and removes the profiles.
import { access, constants, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { appError } from '../../../src/core/errors.js';
import { abortable, withTimeout } from '../../tools/abort.js';
import { findExecutable } from '../../tools/find-executable.js';
import { killGroup } from '../../tools/run-tool.js';
import type { Sandbox } from '../../tools/sandbox/index.js';
import { Supervisor, type InstanceAdapter, type Lease as SlotLease } from '../../tools/supervisor.js';
import type { WarmReport } from '../types.js';
import { buildLaunchArgs, buildLaunchEnv } from './command.js';
import { GuardProxy, type CaptureSession } from './network-guard.js';

export interface PoolSettings {
  /** The Chromium binary. */
  readonly executablePath: string;
  readonly size: number;
  /** A browser is replaced after this many captures. */
  readonly maxCaptures: number;
  /** A browser holding more resident memory (all its processes) after a capture is replaced; 0: no limit. */
  readonly maxRssBytes: number;
  readonly allowPrivate: boolean;
  /** Chromium's own sandbox where its user is not root (see LaunchSettings). */
  readonly sandbox: boolean;
  /** The tool sandbox each browser runs in: its profile folder only, network through the guard. */
  readonly toolSandbox: Sandbox;
  /** Parent of the browsers' profile folders; removed by close(). */
  readonly profileRoot: string;
  readonly launchTimeoutMs: number;
  /** Longest single DevTools call (a capture has its own, shorter limit). */
  readonly protocolTimeoutMs: number;
}

/** What a capture works with: a blank page in its own context, and the slot's guard. */
export interface Lease {
  readonly page: Page;
  readonly guard: GuardProxy;
}

interface Prepared {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
}

/** One browser of the pool. */
interface BrowserInstance {
  readonly browser: Browser;
  readonly profileDir: string;
  /** The slot's guard (kept across the slot's browsers). */
  readonly guard: GuardProxy;
  /** The next capture's context, made while the slot was idle. */
  spare: Promise<Prepared | undefined> | undefined;
}

const IDLE_CHECK_MS = 60_000;
const CHECK_TIMEOUT_MS = 5_000;
const CLOSE_CONTEXT_MS = 5_000;
const CLOSE_BROWSER_MS = 3_000;

export class BrowserPool {
  private readonly supervisor: Supervisor<BrowserInstance>;
  /** Each slot's guard proxy: started with its first browser, closed by close(). */
  private readonly guards = new Map<number, GuardProxy>();
  private readonly finishing = new Set<Promise<void>>();
  private generation = 0;

  constructor(private readonly settings: PoolSettings) {
    this.supervisor = new Supervisor(this.adapter(), {
      size: settings.size,
      maxUses: settings.maxCaptures,
      maxRssBytes: settings.maxRssBytes,
      idleCheckMs: IDLE_CHECK_MS,
      stopOnAbort: false,
      closedError: () => appError('UNAVAILABLE', 'The Chromium pool is closed (the worker is shutting down).'),
    });
  }

  /**
   * Runs `work` on a fresh page whose network goes through the guard armed with `session`. The
   * page's context is closed afterwards whatever happens; an abort of `signal` while waiting
   * for a slot or a browser stops at once.
   */
  async run<T>(session: CaptureSession, signal: AbortSignal, work: (lease: Lease) => Promise<T>): Promise<T> {
    const lease = await this.supervisor.acquire(signal);
    const guard = lease.instance.guard;
    let prepared: Prepared | undefined;
    try {
      prepared = await abortable(this.take(lease), signal, (late) => void late.then((p) => closeContext(p.context)).catch(() => undefined));
      // The next capture's page is made while this one runs (a new context starts a renderer).
      if (!lease.lastUse) lease.instance.spare = this.prepare(lease.instance).catch(() => undefined);
      guard.arm(session);
      return await work({ page: prepared.page, guard });
    } finally {
      guard.disarm();
      // The answer does not wait for the context to close; the slot does.
      const finishing = this.finish(lease, prepared);
      this.finishing.add(finishing);
      void finishing.finally(() => this.finishing.delete(finishing));
    }
  }

  /** Starts every browser before the first capture (Supervisor.warm); none when Chromium is not installed. */
  async warm(): Promise<WarmReport> {
    const chromium = this.settings.executablePath;
    if ((await findExecutable(chromium, this.settings.toolSandbox.environment(undefined)['PATH'] ?? '')) === undefined) return { skipped: `${chromium} is not installed` };
    return this.supervisor.warm();
  }

  /** Stops every browser (also those still starting) and guard and removes every profile folder. */
  async close(): Promise<void> {
    await this.supervisor.close();
    await Promise.all(this.finishing);
    await Promise.all([...this.guards.values()].map((guard) => guard.close()));
    this.guards.clear();
    await rm(this.settings.profileRoot, { recursive: true, force: true });
  }

  /** Closes a capture's context and frees the slot; a context that does not close breaks its browser. */
  private async finish(lease: SlotLease<BrowserInstance>, prepared: Prepared | undefined): Promise<void> {
    const closedCleanly = prepared === undefined || (await closeContext(prepared.context).catch(() => false));
    await lease.release(!closedCleanly);
  }

  /** The prepared spare if it is still usable, else a new context (on a new browser once if need be). */
  private async take(lease: SlotLease<BrowserInstance>): Promise<Prepared> {
    const instance = lease.instance;
    const spare = await instance.spare;
    instance.spare = undefined;
    if (spare !== undefined && spare.browser.connected && !spare.page.isClosed()) return spare;
    if (spare !== undefined) await closeContext(spare.context);
    try {
      return await this.prepare(instance);
    } catch {
      return this.prepare(await lease.replace()); // a browser that cannot open a page is replaced once
    }
  }

  private async prepare({ browser, guard }: BrowserInstance): Promise<Prepared> {
    const context = await browser.createBrowserContext({ proxyServer: guard.url, proxyBypassList: ['<-loopback>'], downloadBehavior: { policy: 'deny' } });
    try {
      return { browser, context, page: await context.newPage() };
    } catch (error) {
      await closeContext(context);
      throw error;
    }
  }

  /** How the supervisor launches, checks and stops a browser. */
  private adapter(): InstanceAdapter<BrowserInstance> {
    return {
      // A launch cannot be interrupted: a browser no longer wanted is stopped once it is up.
      start: (slot, _signal, died) => this.launch(slot, died),
      alive: ({ browser }) => browser.connected,
      check: async ({ browser }) => {
        await withTimeout(browser.version(), CHECK_TIMEOUT_MS); // a DevTools round trip: a hung browser does not answer
        return browser.connected;
      },
      stop: (instance) => this.stop(instance),
      pids: ({ browser }) => [browser.process()?.pid].filter((pid): pid is number => pid !== undefined),
    };
  }

  /** A browser for `slot` with a profile of its own; a failed launch leaves no profile behind. */
  private async launch(slot: number, died: () => void): Promise<BrowserInstance> {
    const chromium = this.settings.executablePath;
    await access(chromium, constants.X_OK).catch(() => {
      throw appError('UNAVAILABLE', `Chromium is not installed at ${chromium}: install it (apt-get install chromium, or bash scripts/setup.sh) or set CHROMIUM_PATH.`);
    });
    const guard = this.guards.get(slot) ?? (await GuardProxy.start(this.settings.allowPrivate));
    this.guards.set(slot, guard);
    const profileDir = path.join(this.settings.profileRoot, `browser-${slot}-${++this.generation}`);
    try {
      await mkdir(profileDir, { recursive: true });
      await this.settings.toolSandbox.prepare(profileDir);
      const browser = await this.launchBrowser(chromium, profileDir);
      browser.once('disconnected', died);
      return { browser, profileDir, guard, spare: undefined };
    } catch (error) {
      await rm(profileDir, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
  }

  private async launchBrowser(chromium: string, profileDir: string): Promise<Browser> {
    const { toolSandbox } = this.settings;
    const args = buildLaunchArgs({ userDataDir: profileDir, asRoot: toolSandbox.toolsRunAsRoot, sandbox: this.settings.sandbox });
    // The browser's network is the worker's (its pages reach the web only through the guard
    // proxy on loopback); its files are its profile's. puppeteer adds the DevTools pipe
    // argument at the end, so it reaches Chromium through the sandbox's command line.
    const wrapped = toolSandbox.command({ writable: [profileDir], network: true, noCpuLimit: true }, chromium, args);
    return puppeteer
      .launch({
        executablePath: wrapped.command,
        args: wrapped.args,
        ignoreDefaultArgs: true,
        env: buildLaunchEnv(profileDir),
        pipe: true,
        defaultViewport: null,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        timeout: this.settings.launchTimeoutMs,
        protocolTimeout: this.settings.protocolTimeoutMs,
      })
      .catch((error: unknown) => {
        const message = (error as Error).message;
        const hint = /sandbox/i.test(message) ? ' Its sandbox needs user namespaces (Docker\'s default seccomp profile blocks them): allow them for the worker, or set CHROMIUM_SANDBOX=false to run Chromium without its sandbox.' : '';
        throw appError('UNAVAILABLE', `Chromium (${chromium}) could not start: ${message.split('\n')[0] ?? ''}.${hint}`, error);
      });
  }

  /** Stops a browser (politely, then its whole process group) and removes its profile. */
  private async stop({ browser, profileDir }: BrowserInstance): Promise<void> {
    const pid = browser.process()?.pid;
    await withTimeout(browser.close(), CLOSE_BROWSER_MS).catch(() => undefined);
    killGroup(pid);
    await rm(profileDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Closes a context; false when it did not close in time (the browser is then replaced). */
async function closeContext(context: BrowserContext): Promise<boolean> {
  return withTimeout(context.close(), CLOSE_CONTEXT_MS).then(
    () => true,
    () => !context.browser().connected || context.closed,
  );
}
