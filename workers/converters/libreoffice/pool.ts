// A supervised pool of long-running soffice processes, each with its own profile folder and a
// Python UNO bridge (bridge.py) that takes one conversion at a time. Instances start lazily, are
// health-checked after idling, replaced after `maxConversions` or when they hang or die, and a
// conversion that is aborted (timeout, cancel) kills only its own instance.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { buildInstanceCommand, PROFILE_SETTINGS } from './command.js';
import { releaseSlot, takeSlot, WaitList } from '../../tools/wait-list.js';
import { toolEnvironment } from '../../tools/run-tool.js';

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
  /** Parent of the instances' profile folders; removed by close(). */
  readonly profileRoot: string;
  readonly isolateNetwork: boolean;
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

const SETPRIV = '/usr/bin/setpriv';
const IDLE_CHECK_MS = 60_000;
const PING_TIMEOUT_MS = 5_000;
/** soffice.bin exits with 81 after creating a fresh profile, asking to be started again. */
const RESTART_EXIT_CODE = 81;

/** Own process group (killed as a whole) and a parent-death signal, so nothing outlives the worker. */
function spawnGuarded(command: string, args: readonly string[]): ChildProcess {
  const [cmd, argv] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, [...args]];
  // The tools' safe variables only: the worker's environment holds the store's keys.
  const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'ignore'], detached: true, env: toolEnvironment() });
  // A write to a process that just died fails with EPIPE; its 'exit' is what reports the death.
  child.stdin?.on('error', () => undefined);
  return child;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Whether `unshare --net` works here (it needs root or unprivileged user namespaces). */
function canIsolateNetwork(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = spawn('unshare', ['--net', '--', 'true'], { stdio: 'ignore' });
    probe.once('error', () => resolve(false));
    probe.once('exit', (code) => resolve(code === 0));
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
    profileDir: string,
    isolateNetwork: boolean,
  ) {
    const pipeName = `oc-lo-${randomBytes(8).toString('hex')}`;
    const { command, args } = buildInstanceCommand(settings.soffice, profileDir, pipeName, isolateNetwork);
    let restarts = 0;
    const startOffice = (): ChildProcess => {
      const office = spawnGuarded(command, args);
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
    this.bridge = spawnGuarded(settings.python, [settings.bridgeScript, pipeName, String(settings.startTimeoutMs / 1000)]);
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
      killGroup(this.office);
      killGroup(this.bridge);
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
  private isolation: Promise<boolean> | undefined;

  constructor(private readonly settings: PoolSettings) {
    this.slots = Array.from({ length: settings.size }, (_, index) => ({ index, busy: false, instance: undefined }));
  }

  /** Runs one bridge request on a free instance; an abort kills that instance. */
  async run(payload: object, signal: AbortSignal): Promise<BridgeReply> {
    const slot = await this.acquire(signal);
    const onAbort = (): void => this.retire(slot);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const instance = await this.warm(slot, signal);
      instance.conversions++;
      const reply = await instance.request(payload, this.settings.hangTimeoutMs);
      if (!instance.alive || instance.conversions >= this.settings.maxConversions) this.retire(slot);
      return reply;
    } catch (error) {
      this.retire(slot);
      signal.throwIfAborted();
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.release(slot);
    }
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
    const profileDir = path.join(this.settings.profileRoot, `instance-${slot.index}`);
    await mkdir(path.join(profileDir, 'user'), { recursive: true });
    // A new profile only: soffice merges these settings into the file on its first start.
    await writeFile(path.join(profileDir, 'user', 'registrymodifications.xcu'), PROFILE_SETTINGS, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    signal.throwIfAborted();
    this.isolation ??= this.settings.isolateNetwork ? canIsolateNetwork() : Promise.resolve(false);
    const instance = new Instance(this.settings, profileDir, await this.isolation);
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
