// A supervised pool of long-running soffice processes, each with its own profile folder and a
// Python UNO bridge (bridge.py) that takes one conversion at a time. Instances start lazily, are
// health-checked after idling, replaced after `maxConversions` or when they hang or die, and a
// conversion that is aborted (timeout, cancel) kills only its own instance.
// Each instance runs in the tool sandbox and sees only its own folder: a conversion's input is
// linked into the instance's exchange folder and its output moved out of it, so no instance ever
// sees a job's folder, the store, or another instance.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { buildInstanceCommand, PROFILE_SETTINGS } from './command.js';
import { releaseSlot, takeSlot, WaitList } from '../../tools/wait-list.js';
import { killGroup } from '../../tools/run-tool.js';
import type { Mount, Sandbox, ToolPolicy } from '../../tools/sandbox/index.js';

export interface PoolSettings {
  /** soffice.bin (the office process itself, not the oosplash wrapper). */
  readonly soffice: string;
  /** A Python with the `uno` module (Debian: /usr/bin/python3). */
  readonly python: string;
  readonly bridgeScript: string;
  readonly size: number;
  /** An instance is replaced after this many conversions (LibreOffice grows over time). */
  readonly maxConversions: number;
  readonly startTimeoutMs: number;
  /** A conversion running longer is a hang: its instance is killed and the conversion fails. */
  readonly hangTimeoutMs: number;
  /** Parent of the instances' folders; removed by close(). */
  readonly profileRoot: string;
  readonly sandbox: Sandbox;
}

export interface BridgeReply {
  readonly ok: boolean;
  readonly error?: string;
  /** Why a conversion was refused, when the bridge knows: the document is over the page limit. */
  readonly code?: 'too_many_pages';
}

/** The instance died or hung while working on a request. */
export class InstanceFailure extends Error {
  constructor(
    message: string,
    readonly hung: boolean,
  ) {
    super(message);
    this.name = 'InstanceFailure';
  }
}

const IDLE_CHECK_MS = 60_000;
const PING_TIMEOUT_MS = 5_000;
/** soffice.bin exits with 81 after creating a fresh profile, asking to be started again. */
const RESTART_EXIT_CODE = 81;

/** An instance's folder: its profile, the /tmp it shares with its bridge (the UNO pipe), the exchange. */
interface InstanceFolders {
  readonly root: string;
  readonly profile: string;
  readonly tmp: string;
  readonly exchange: string;
}

function instanceFolders(root: string): InstanceFolders {
  return { root, profile: path.join(root, 'profile'), tmp: path.join(root, 'tmp'), exchange: path.join(root, 'exchange') };
}

/**
 * Under bubblewrap the instance's folder is shown at /instance: away from /tmp, which is the
 * instance's own tmp folder there (where soffice puts its UNO pipe).
 */
const instanceMount = (folders: InstanceFolders): Mount => ({ host: folders.root, at: '/instance' });

/** Sandboxed, in a process group of its own (killed as a whole); the sandbox kills it with the worker. */
function spawnSandboxed(sandbox: Sandbox, policy: ToolPolicy, binary: string, args: readonly string[], home: string): ChildProcess {
  const { command, args: argv } = sandbox.command(policy, binary, args);
  const child = spawn(command, argv, { stdio: ['pipe', 'pipe', 'ignore'], detached: true, env: sandbox.environment(home) });
  // A write to a process that just died fails with EPIPE; its 'exit' is what reports the death.
  child.stdin?.on('error', () => undefined);
  return child;
}

function killChild(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) killGroup(child.pid);
}

/** `file` in `folder` under its own name: a hard link where possible (same file system), else a copy. */
async function linkInto(file: string, folder: string): Promise<string> {
  const staged = path.join(folder, path.basename(file));
  await link(file, staged).catch(() => copyFile(file, staged));
  return staged;
}

/** Moves a file, copying when it crosses file systems. */
async function moveFile(from: string, to: string): Promise<void> {
  await rename(from, to).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await rm(from, { force: true });
  });
}

class Instance {
  conversions = 0;
  lastUsed = Date.now();
  private office: ChildProcess;
  private readonly bridge: ChildProcess;
  private dead = false;
  private ready = false;
  private pending: { resolve: (reply: BridgeReply) => void; reject: (error: Error) => void } | undefined;

  constructor(
    private readonly settings: PoolSettings,
    folders: InstanceFolders,
  ) {
    const pipeName = `oc-lo-${randomBytes(8).toString('hex')}`;
    const mount = instanceMount(folders);
    const { command, args } = buildInstanceCommand(settings.soffice, settings.sandbox.pathInside(mount, folders.profile), pipeName);
    // Both processes see only the instance's folder; they meet through the UNO pipe in its /tmp.
    const policy: ToolPolicy = { writable: [mount], sharedTmp: folders.tmp, noCpuLimit: true };
    let restarts = 0;
    const startOffice = (): ChildProcess => {
      const office = spawnSandboxed(settings.sandbox, policy, command, args, folders.root);
      office.stdin?.end();
      office.stdout?.resume();
      office.once('exit', (code) => {
        if (!this.dead && !this.ready && code === RESTART_EXIT_CODE && restarts++ < 2) this.office = startOffice();
        else this.fail(`soffice exited (${code ?? 'signal'})`);
      });
      office.once('error', (error) => this.fail(`soffice could not start: ${error.message}`));
      return office;
    };
    this.office = startOffice();
    this.bridge = spawnSandboxed(settings.sandbox, { ...policy, readable: [settings.bridgeScript] }, settings.python, [settings.bridgeScript, pipeName, String(settings.startTimeoutMs / 1000)], folders.root);
    this.bridge.once('exit', (code) => this.fail(`the UNO bridge exited (${code ?? 'signal'})`));
    this.bridge.once('error', (error) => this.fail(`${settings.python} could not start: ${error.message}`));
    const lines = createInterface({ input: this.bridge.stdout! });
    lines.on('line', (line) => this.onLine(line));
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Resolves once the bridge is connected to soffice; rejects when it dies or takes too long. */
  waitReady(): Promise<void> {
    return this.send(undefined, this.settings.startTimeoutMs, 'LibreOffice did not start in time').then(() => undefined);
  }

  request(payload: object, timeoutMs: number): Promise<BridgeReply> {
    this.lastUsed = Date.now();
    return this.send(payload, timeoutMs, `LibreOffice did not answer within ${Math.round(timeoutMs / 1000)} s`);
  }

  kill(): void {
    this.fail('stopped');
  }

  private send(payload: object | undefined, timeoutMs: number, hangMessage: string): Promise<BridgeReply> {
    if (this.dead) return Promise.reject(new InstanceFailure('LibreOffice is not running', false));
    if (this.pending !== undefined) return Promise.reject(new Error('an instance takes one request at a time'));
    return new Promise<BridgeReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(new InstanceFailure(hangMessage, true));
        this.kill();
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.pending = undefined;
      };
      this.pending = { resolve: (reply) => (done(), resolve(reply)), reject: (error) => (done(), reject(error)) };
      if (payload !== undefined) this.bridge.stdin?.write(`${JSON.stringify(payload)}\n`);
    });
  }

  private onLine(line: string): void {
    let reply: BridgeReply & { ready?: boolean };
    try {
      reply = JSON.parse(line) as BridgeReply & { ready?: boolean };
    } catch {
      return; // not ours (a library printing to stdout)
    }
    if (reply.ready === true) this.ready = true;
    this.pending?.resolve(reply.ready === true ? { ok: true } : reply);
  }

  private fail(reason: string): void {
    if (!this.dead) {
      this.dead = true;
      killChild(this.office);
      killChild(this.bridge);
    }
    this.pending?.reject(new InstanceFailure(`LibreOffice stopped: ${reason}`, false));
  }
}

interface Slot {
  readonly index: number;
  busy: boolean;
  instance: Instance | undefined;
}

export class OfficePool {
  private readonly slots: Slot[];
  private readonly waiters = new WaitList();
  private closed = false;

  constructor(private readonly settings: PoolSettings) {
    this.slots = Array.from({ length: settings.size }, (_, index) => ({ index, busy: false, instance: undefined }));
  }

  /**
   * Runs one conversion on a free instance: `input` is linked into the instance's exchange
   * folder, `payload` gets the paths the instance sees, and what it wrote is moved to `output`.
   * An abort kills that instance.
   */
  async run(files: { readonly input: string; readonly output: string }, payload: (input: string, output: string) => object, signal: AbortSignal): Promise<BridgeReply> {
    const slot = await this.acquire(signal);
    const onAbort = (): void => this.retire(slot);
    signal.addEventListener('abort', onAbort, { once: true });
    const folders = instanceFolders(this.slotFolder(slot));
    const exchange = path.join(folders.exchange, randomBytes(8).toString('hex'));
    const inside = (file: string): string => this.settings.sandbox.pathInside(instanceMount(folders), file);
    try {
      const instance = await this.warm(slot, signal);
      await mkdir(exchange, { recursive: true });
      await this.settings.sandbox.prepare(exchange);
      const stagedOutput = path.join(exchange, path.basename(files.output));
      instance.conversions++;
      const reply = await instance.request(payload(inside(await linkInto(files.input, exchange)), inside(stagedOutput)), this.settings.hangTimeoutMs);
      if (!instance.alive || instance.conversions >= this.settings.maxConversions) this.retire(slot);
      if (await stat(stagedOutput).then(() => true, () => false)) await moveFile(stagedOutput, files.output);
      return reply;
    } catch (error) {
      this.retire(slot);
      signal.throwIfAborted();
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      await rm(exchange, { recursive: true, force: true });
      this.release(slot);
    }
  }

  private slotFolder(slot: Slot): string {
    return path.join(this.settings.profileRoot, `instance-${slot.index}`);
  }

  /** Kills every instance and removes every profile folder. */
  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) this.retire(slot);
    this.waiters.wakeAll();
    await rm(this.settings.profileRoot, { recursive: true, force: true });
  }

  private async warm(slot: Slot, signal: AbortSignal): Promise<Instance> {
    const current = slot.instance;
    if (current?.alive === true) {
      if (Date.now() - current.lastUsed < IDLE_CHECK_MS) return current;
      const ping = await current.request({ op: 'ping' }, PING_TIMEOUT_MS).catch(() => ({ ok: false }));
      if (ping.ok && current.alive) return current;
      this.retire(slot);
    }
    const folders = instanceFolders(this.slotFolder(slot));
    for (const dir of [path.join(folders.profile, 'user'), folders.tmp, folders.exchange, path.join(folders.root, '.tmp')]) await mkdir(dir, { recursive: true });
    // A new profile only: soffice merges these settings into the file on its first start.
    await writeFile(path.join(folders.profile, 'user', 'registrymodifications.xcu'), PROFILE_SETTINGS, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await this.settings.sandbox.prepare(folders.root);
    signal.throwIfAborted();
    const instance = new Instance(this.settings, folders);
    slot.instance = instance;
    await instance.waitReady();
    return instance;
  }

  private retire(slot: Slot): void {
    slot.instance?.kill();
    slot.instance = undefined;
  }

  private acquire(signal: AbortSignal): Promise<Slot> {
    return takeSlot(this.slots, this.waiters, signal, (s) => s.instance?.alive === true, () => {
      if (this.closed) throw new Error('the LibreOffice pool is closed');
    });
  }

  private release(slot: Slot): void {
    releaseSlot(slot, this.waiters);
  }
}
