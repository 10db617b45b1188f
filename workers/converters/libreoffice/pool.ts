// The pool of LibreOffice instances (instance.ts: soffice and its UNO bridge). The supervisor
// (workers/tools/supervisor.ts) starts them on first use or, warmed, with the worker, pings them
// after idling, and replaces them
// after `maxConversions` documents, above `maxRssBytes`, when they hang or die, and when a
// conversion is aborted (timeout, cancel: a UNO call cannot be cancelled, so only its own
// instance is killed). What is LibreOffice's stays here: each slot's folder, whose profile the
// slot's successive instances share (a warm profile starts faster), and the exchange of files.
// An instance sees only its own folder: a conversion's input is linked into the instance's
// exchange folder and its output moved out of it, so no instance ever sees a job's folder, the
// store, or another instance.
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROFILE_SETTINGS } from './command.js';
import { Instance, instanceFolders, instanceMount, type BridgeReply, type InstanceFolders, type InstanceSettings } from './instance.js';
import { findExecutable } from '../../tools/find-executable.js';
import { Supervisor, type InstanceAdapter } from '../../tools/supervisor.js';
import type { Sandbox } from '../../tools/sandbox/index.js';
import type { WarmReport } from '../types.js';

export interface PoolSettings extends InstanceSettings {
  readonly size: number;
  /** An instance is replaced after this many conversions (LibreOffice grows over time). */
  readonly maxConversions: number;
  /** An instance holding more resident memory after a conversion is replaced; 0: no limit. */
  readonly maxRssBytes: number;
  /** A conversion running longer is a hang: its instance is killed and the conversion fails. */
  readonly hangTimeoutMs: number;
  /** Parent of the instances' folders; removed by close(). */
  readonly profileRoot: string;
}

/** The files of one conversion, and the request that converts them given the paths the instance sees. */
interface Exchange {
  readonly input: string;
  readonly output: string;
  readonly payload: (input: string, output: string) => object;
}

const IDLE_CHECK_MS = 60_000;
const PING_TIMEOUT_MS = 5_000;

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

/** Makes the instance folder (kept between instances) writable for the tools' user. */
async function prepareFolders(folders: InstanceFolders, sandbox: Sandbox): Promise<void> {
  for (const dir of [path.join(folders.profile, 'user'), folders.tmp, folders.exchange, path.join(folders.root, '.tmp')]) await mkdir(dir, { recursive: true });
  // A new profile only: soffice merges these settings into the file on its first start.
  await writeFile(path.join(folders.profile, 'user', 'registrymodifications.xcu'), PROFILE_SETTINGS, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await sandbox.prepare(folders.root);
}

export class OfficePool {
  private readonly supervisor: Supervisor<Instance>;

  constructor(private readonly settings: PoolSettings) {
    this.supervisor = new Supervisor(this.adapter(), {
      size: settings.size,
      maxUses: settings.maxConversions,
      maxRssBytes: settings.maxRssBytes,
      idleCheckMs: IDLE_CHECK_MS,
      stopOnAbort: true,
      closedError: () => new Error('the LibreOffice pool is closed'),
    });
  }

  /**
   * Runs one conversion on a free instance: `input` is linked into the instance's exchange
   * folder, `payload` gets the paths the instance sees, and what it wrote is moved to `output`.
   * An abort kills that instance.
   */
  async run(files: { readonly input: string; readonly output: string }, payload: Exchange['payload'], signal: AbortSignal): Promise<BridgeReply> {
    const lease = await this.supervisor.acquire(signal);
    const folders = instanceFolders(this.slotFolder(lease.slot));
    const exchange = path.join(folders.exchange, randomBytes(8).toString('hex'));
    let broken = true;
    try {
      const reply = await this.convert(lease.instance, folders, exchange, { ...files, payload });
      broken = false;
      return reply;
    } catch (error) {
      signal.throwIfAborted();
      throw error;
    } finally {
      await rm(exchange, { recursive: true, force: true });
      await lease.release(broken);
    }
  }

  /** Starts every instance before the first document (Supervisor.warm); none when soffice or the bridge's Python is not installed. */
  async warm(): Promise<WarmReport> {
    const { soffice, python, sandbox } = this.settings;
    const searchPath = sandbox.environment(undefined)['PATH'] ?? '';
    for (const tool of [soffice, python]) {
      if ((await findExecutable(tool, searchPath)) === undefined) return { skipped: `${tool} is not installed` };
    }
    return this.supervisor.warm();
  }

  /** Stops every instance (also those still starting) and removes every instance folder. */
  async close(): Promise<void> {
    await this.supervisor.close();
    await rm(this.settings.profileRoot, { recursive: true, force: true });
  }

  private async convert(instance: Instance, folders: InstanceFolders, exchange: string, files: Exchange): Promise<BridgeReply> {
    await mkdir(exchange, { recursive: true });
    await this.settings.sandbox.prepare(exchange);
    const inside = (file: string): string => this.settings.sandbox.pathInside(instanceMount(folders), file);
    const stagedOutput = path.join(exchange, path.basename(files.output));
    const reply = await instance.request(files.payload(inside(await linkInto(files.input, exchange)), inside(stagedOutput)), this.settings.hangTimeoutMs);
    if (await stat(stagedOutput).then(() => true, () => false)) await moveFile(stagedOutput, files.output);
    return reply;
  }

  private slotFolder(slot: number): string {
    return path.join(this.settings.profileRoot, `instance-${slot}`);
  }

  /** How the supervisor starts, pings and stops an instance. */
  private adapter(): InstanceAdapter<Instance> {
    return {
      start: async (slot, signal, died) => {
        const folders = instanceFolders(this.slotFolder(slot));
        await prepareFolders(folders, this.settings.sandbox);
        signal.throwIfAborted();
        const instance = new Instance(this.settings, folders, died);
        signal.addEventListener('abort', () => instance.kill(), { once: true });
        await instance.waitReady();
        return instance;
      },
      alive: (instance) => instance.alive,
      check: async (instance) => (await instance.request({ op: 'ping' }, PING_TIMEOUT_MS)).ok,
      stop: async (instance) => instance.kill(),
      pids: (instance) => instance.pids,
    };
  }
}
