// One LibreOffice instance: a long-running soffice and the Python UNO bridge (bridge.py) that
// drives it, one request at a time, over JSON lines. Both run in the tool sandbox, each in a
// process group of its own, and see only the instance's folder; they meet through the UNO pipe
// in its tmp folder. The pool's supervisor (workers/tools/supervisor.ts) decides when an
// instance starts and stops; this file only speaks its protocol and notices when it dies or hangs.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { buildInstanceCommand } from './command.js';
import { killGroup } from '../../tools/run-tool.js';
import type { Mount, Sandbox, ToolPolicy } from '../../tools/sandbox/index.js';

export interface InstanceSettings {
  /** soffice.bin (the office process itself, not the oosplash wrapper). */
  readonly soffice: string;
  /** A Python with the `uno` module (Debian: /usr/bin/python3). */
  readonly python: string;
  readonly bridgeScript: string;
  readonly startTimeoutMs: number;
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

/** soffice.bin exits with 81 after creating a fresh profile, asking to be started again. */
const RESTART_EXIT_CODE = 81;

/** An instance's folder: its profile, the /tmp it shares with its bridge (the UNO pipe), the exchange. */
export interface InstanceFolders {
  readonly root: string;
  readonly profile: string;
  readonly tmp: string;
  readonly exchange: string;
}

export function instanceFolders(root: string): InstanceFolders {
  return { root, profile: path.join(root, 'profile'), tmp: path.join(root, 'tmp'), exchange: path.join(root, 'exchange') };
}

/**
 * Under bubblewrap the instance's folder is shown at /instance: away from /tmp, which is the
 * instance's own tmp folder there (where soffice puts its UNO pipe).
 */
export const instanceMount = (folders: InstanceFolders): Mount => ({ host: folders.root, at: '/instance' });

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

export class Instance {
  private office: ChildProcess;
  private readonly bridge: ChildProcess;
  private dead = false;
  private ready = false;
  private pending: { resolve: (reply: BridgeReply) => void; reject: (error: Error) => void } | undefined;

  /** Starts soffice and its bridge in `folders`; `onDeath` is called once, when either dies or the instance is killed. */
  constructor(
    private readonly settings: InstanceSettings,
    folders: InstanceFolders,
    private readonly onDeath: () => void,
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

  /** The sandbox wrappers of soffice and of the bridge: the roots of the instance's process trees. */
  get pids(): number[] {
    return [this.office.pid, this.bridge.pid].filter((pid): pid is number => pid !== undefined);
  }

  /** Resolves once the bridge is connected to soffice; rejects when it dies or takes too long. */
  waitReady(): Promise<void> {
    return this.send(undefined, this.settings.startTimeoutMs, 'LibreOffice did not start in time').then(() => undefined);
  }

  /** One request; a reply later than `timeoutMs` is a hang: the instance is killed. */
  request(payload: object, timeoutMs: number): Promise<BridgeReply> {
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
    const first = !this.dead;
    if (first) {
      this.dead = true;
      killChild(this.office);
      killChild(this.bridge);
    }
    this.pending?.reject(new InstanceFailure(`LibreOffice stopped: ${reason}`, false));
    // Told last: the supervisor stops the instance at once, and the request in flight must fail with this reason, not with 'stopped'.
    if (first) this.onDeath();
  }
}
