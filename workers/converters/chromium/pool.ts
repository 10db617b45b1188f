// A supervised pool of warm Chromium browsers (puppeteer-core over a pipe). Each slot runs one
// capture at a time in a fresh incognito context whose traffic goes through the slot's guard
// proxy; the context is closed afterwards and the next one is prepared in the background.
// Browsers start lazily, are replaced after `maxCaptures` captures, when they crash or
// disconnect, or when closing a context hangs; close() stops them all and removes the profiles.
import { access, constants, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { appError } from '../../../src/core/errors.js';
import { abortable, withTimeout } from '../../tools/abort.js';
import { releaseSlot, takeSlot, WaitList } from '../../tools/wait-list.js';
import { killGroup } from '../../tools/run-tool.js';
import type { Sandbox } from '../../tools/sandbox/index.js';
import { buildLaunchArgs, buildLaunchEnv } from './command.js';
import { GuardProxy, type CaptureSession } from './network-guard.js';

export interface PoolSettings {
  /** The Chromium binary. */
  readonly executablePath: string;
  readonly size: number;
  /** A browser is replaced after this many captures. */
  readonly maxCaptures: number;
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

interface Slot {
  readonly index: number;
  busy: boolean;
  generation: number;
  captures: number;
  browser: Promise<Browser> | undefined;
  profileDir: string | undefined;
  guard: GuardProxy | undefined;
  /** The next capture's context, made while the slot was idle. */
  spare: Promise<Prepared | undefined> | undefined;
}

const CLOSE_CONTEXT_MS = 5_000;
const CLOSE_BROWSER_MS = 3_000;

export class BrowserPool {
  private readonly slots: Slot[];
  private readonly waiters = new WaitList();
  private readonly finishing = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly settings: PoolSettings) {
    this.slots = Array.from({ length: settings.size }, (_, index) => ({ index, busy: false, generation: 0, captures: 0, browser: undefined, profileDir: undefined, guard: undefined, spare: undefined }));
  }

  /**
   * Runs `work` on a fresh page whose network goes through the guard armed with `session`. The
   * page's context is closed afterwards whatever happens; an abort of `signal` while waiting
   * for a slot or a browser stops at once.
   */
  async run<T>(session: CaptureSession, signal: AbortSignal, work: (lease: Lease) => Promise<T>): Promise<T> {
    const slot = await this.acquire(signal);
    let prepared: Prepared | undefined;
    try {
      prepared = await abortable(this.take(slot), signal, (late) => void late.then((p) => closeContext(p.context)).catch(() => undefined));
      slot.captures++;
      // The next capture's page is made while this one runs (a new context starts a renderer).
      if (slot.captures < this.settings.maxCaptures) slot.spare = this.prepare(slot).catch(() => undefined);
      const guard = slot.guard!;
      guard.arm(session);
      return await work({ page: prepared.page, guard });
    } finally {
      slot.guard?.disarm();
      // The answer does not wait for the context to close; the slot does.
      const finishing = this.finish(slot, prepared);
      this.finishing.add(finishing);
      void finishing.finally(() => this.finishing.delete(finishing));
    }
  }

  /** Closes a capture's context, replaces the browser when it is worn or broken, frees the slot. */
  private async finish(slot: Slot, prepared: Prepared | undefined): Promise<void> {
    try {
      const closedCleanly = prepared === undefined || (await closeContext(prepared.context));
      const worn = slot.captures >= this.settings.maxCaptures;
      if (!closedCleanly || worn || prepared?.browser.connected === false) await this.retire(slot);
    } catch {
      await this.retire(slot).catch(() => undefined);
    } finally {
      this.release(slot);
    }
  }

  /** Stops every browser and guard and removes every profile folder. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiters.wakeAll();
    await Promise.all(this.finishing);
    await Promise.all(this.slots.map(async (slot) => {
      await this.retire(slot);
      await slot.guard?.close();
      slot.guard = undefined;
    }));
    await rm(this.settings.profileRoot, { recursive: true, force: true });
  }

  /** The prepared spare if it is still usable, else a new context (relaunching once if needed). */
  private async take(slot: Slot): Promise<Prepared> {
    const spare = await slot.spare;
    slot.spare = undefined;
    if (spare !== undefined && spare.browser.connected && !spare.page.isClosed()) return spare;
    if (spare !== undefined) await closeContext(spare.context);
    try {
      return await this.prepare(slot);
    } catch (error) {
      if (this.closed) throw error;
      await this.retire(slot); // a browser that cannot open a page is replaced once
      return this.prepare(slot);
    }
  }

  private async prepare(slot: Slot): Promise<Prepared> {
    const browser = await this.browser(slot);
    const guard = slot.guard!;
    const context = await browser.createBrowserContext({ proxyServer: guard.url, proxyBypassList: ['<-loopback>'], downloadBehavior: { policy: 'deny' } });
    try {
      return { browser, context, page: await context.newPage() };
    } catch (error) {
      await closeContext(context);
      throw error;
    }
  }

  private browser(slot: Slot): Promise<Browser> {
    if (this.closed) return Promise.reject(appError('UNAVAILABLE', 'The Chromium pool is closed (the worker is shutting down).'));
    if (slot.browser === undefined) {
      const launching = this.launch(slot);
      slot.browser = launching;
      // A failed start leaves the slot empty (the next capture tries again) and no profile behind.
      launching.catch(async () => {
        if (slot.browser !== launching) return;
        const profileDir = slot.profileDir;
        slot.browser = undefined;
        slot.profileDir = undefined;
        if (profileDir !== undefined) await rm(profileDir, { recursive: true, force: true }).catch(() => undefined);
      });
    }
    return slot.browser;
  }

  private async launch(slot: Slot): Promise<Browser> {
    const chromium = this.settings.executablePath;
    await access(chromium, constants.X_OK).catch(() => {
      throw appError('UNAVAILABLE', `Chromium is not installed at ${chromium}: install it (apt-get install chromium, or bash scripts/setup.sh) or set CHROMIUM_PATH.`);
    });
    slot.guard ??= await GuardProxy.start(this.settings.allowPrivate);
    const profileDir = path.join(this.settings.profileRoot, `browser-${slot.index}-${++slot.generation}`);
    slot.profileDir = profileDir;
    await mkdir(profileDir, { recursive: true });
    const { toolSandbox } = this.settings;
    await toolSandbox.prepare(profileDir);
    const args = buildLaunchArgs({ userDataDir: profileDir, asRoot: toolSandbox.toolsRunAsRoot, sandbox: this.settings.sandbox });
    // The browser's network is the worker's (its pages reach the web only through the guard
    // proxy on loopback); its files are its profile's. puppeteer adds the DevTools pipe
    // argument at the end, so it reaches Chromium through the sandbox's command line.
    const wrapped = toolSandbox.command({ writable: [profileDir], network: true, noCpuLimit: true }, chromium, args);
    const browser = await puppeteer
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
    browser.once('disconnected', () => {
      if (slot.browser !== undefined && slot.profileDir === profileDir) void this.retire(slot);
    });
    return browser;
  }

  /** Stops the slot's browser (politely, then by force) and removes its profile. */
  private async retire(slot: Slot): Promise<void> {
    const launching = slot.browser;
    const profileDir = slot.profileDir;
    slot.browser = undefined;
    slot.spare = undefined;
    slot.profileDir = undefined;
    slot.captures = 0;
    const browser = await launching?.catch(() => undefined);
    if (browser !== undefined) {
      const pid = browser.process()?.pid;
      await withTimeout(browser.close(), CLOSE_BROWSER_MS).catch(() => undefined);
      if (pid !== undefined) killGroup(pid);
    }
    if (profileDir !== undefined) await rm(profileDir, { recursive: true, force: true }).catch(() => undefined);
  }

  private acquire(signal: AbortSignal): Promise<Slot> {
    return takeSlot(this.slots, this.waiters, signal, (s) => s.browser !== undefined, () => {
      if (this.closed) throw appError('UNAVAILABLE', 'The Chromium pool is closed (the worker is shutting down).');
    });
  }

  private release(slot: Slot): void {
    releaseSlot(slot, this.waiters);
  }
}

/** Closes a context; false when it did not close in time (the browser is then replaced). */
async function closeContext(context: BrowserContext): Promise<boolean> {
  return withTimeout(context.close(), CLOSE_CONTEXT_MS).then(
    () => true,
    () => !context.browser().connected || context.closed,
  );
}
