// The sandbox every external tool runs in (LibreOffice, calibre, Ghostscript, mutool, Inkscape,
// ffmpeg/ffprobe, archive tools, Chromium, and whatever comes later). Decided once at the
// worker's start: bubblewrap where namespaces are allowed, else resource limits and a separate
// user only. command.ts builds the command lines; this file probes the system, prepares folders
// for the tools' user and hands each job a runner confined to its own folder.
import { lstat, mkdir, mkdtemp, readdir, readlink, rm, chmod, lchown } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SandboxMode } from '../../../src/config/index.js';
import { runTool, type RunOptions, type ToolResult } from '../run-tool.js';
import { hostPath, NICE, PRLIMIT, SETPRIV, sandboxCommand, toolEnvironment, type Confinement, type Mount, type SandboxKind, type SystemRoot, type ToolLimits, type ToolPolicy, type WrappedCommand } from './command.js';
import { limitFailure, type JobToolLimits } from './limits.js';

export type { Mount, ToolLimits, ToolPolicy, WrappedCommand } from './command.js';
export type { JobToolLimits } from './limits.js';

export interface SandboxSettings {
  /** auto: bubblewrap where it works, else rlimits; bubblewrap: refuse to start without it. */
  readonly mode: SandboxMode;
  readonly bwrap: string;
  /** The user tools run as when the worker is root (0 keeps root: not recommended). */
  readonly uid: number;
  readonly gid: number;
  readonly limits: ToolLimits;
  /** Folders no tool may see: DATA_DIR and TEMP_DIR (job folders are bound one by one). */
  readonly hidden: readonly string[];
  /** Where the start probe makes its scratch folder (TEMP_DIR). */
  readonly tempDir: string;
  /** The worker's LANG, LC_* and TZ, passed on to tools. */
  readonly locale: Readonly<Record<string, string>>;
}

/** What /readyz and the start log say about the protection of this worker's tools. */
export interface SandboxReport {
  readonly kind: SandboxKind;
  /** The user tools run as ("65534:65534", or the worker's own). */
  readonly user: string;
  readonly namespaces: boolean;
  readonly network: 'none' | 'worker';
  readonly limits: { readonly memoryMb: number; readonly cpuSeconds: number; readonly fileSizeMb: number; readonly processes: number };
  /** Why bubblewrap is not used, when it is not. */
  readonly reason?: string;
}

/** Runs one-shot tools confined to one job's folder. */
export interface ToolRunner {
  /**
   * Runs `binary` sandboxed: it reads and writes the job's folder only (plus `readable`), without
   * network, with HOME and TMPDIR in the job's folder. A tool stopped by one of its limits
   * rejects with an AppError that says which limit.
   */
  run(binary: string, args: readonly string[], options: ToolRunOptions): Promise<ToolResult>;
}

export interface ToolRunOptions extends Omit<RunOptions, 'env' | 'name'> {
  /** Variables on top of the tools' base environment (PATH, LANG, HOME, TMPDIR). */
  readonly env?: Readonly<Record<string, string>>;
  /** Files or folders outside the job's folder the tool reads (a script of ours). */
  readonly readable?: readonly string[];
}

const SYSTEM_FOLDERS = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/var/cache/fontconfig'];
const MB = 1024 * 1024;

/** The system folders as they are here: merged-/usr symlinks stay symlinks. */
async function systemRoots(): Promise<SystemRoot[]> {
  const roots: SystemRoot[] = [];
  for (const folder of SYSTEM_FOLDERS) {
    const stats = await lstat(folder).catch(() => undefined);
    if (stats?.isSymbolicLink() === true) roots.push({ path: folder, symlink: await readlink(folder) });
    else if (stats?.isDirectory() === true) roots.push({ path: folder, bind: true });
  }
  return roots;
}

export class Sandbox {
  private readonly binaryFolders = new Map<string, string | undefined>();

  private constructor(
    readonly confinement: Confinement,
    private readonly locale: Readonly<Record<string, string>>,
    private readonly reason: string | undefined,
  ) {}

  /** Decides the confinement: probes bubblewrap once (unless mode is rlimits). */
  static async start(settings: SandboxSettings): Promise<Sandbox> {
    for (const tool of [SETPRIV, PRLIMIT, NICE]) if (!existsSync(tool)) throw new Error(`${tool} is missing: install util-linux and coreutils (scripts/setup.sh does).`);
    const user = process.getuid?.() === 0 && settings.uid !== 0 ? { uid: settings.uid, gid: settings.gid } : undefined;
    const base = { bwrap: settings.bwrap, user, limits: settings.limits, systemRoots: await systemRoots(), hidden: settings.hidden };
    const rlimits: Confinement = { ...base, kind: 'rlimits' };
    if (settings.mode === 'rlimits') return Sandbox.checked(rlimits, settings, 'TOOL_SANDBOX=rlimits');
    const failure = await Sandbox.probe({ ...base, kind: 'bubblewrap' }, settings.tempDir);
    if (failure === undefined) return new Sandbox({ ...base, kind: 'bubblewrap' }, settings.locale, undefined);
    if (settings.mode === 'bubblewrap') {
      throw new Error(`TOOL_SANDBOX=bubblewrap, but bubblewrap cannot run here: ${failure}. Install it (apt-get install bubblewrap) and allow user namespaces (in Docker: a seccomp profile that permits them), or set TOOL_SANDBOX=auto.`);
    }
    return Sandbox.checked(rlimits, settings, failure);
  }

  /** The limits-only sandbox, once a tool has shown it can write in TEMP_DIR as the tools' user. */
  private static async checked(confinement: Confinement, settings: SandboxSettings, reason: string): Promise<Sandbox> {
    if (confinement.user !== undefined) await Sandbox.closeSharedFolders(settings);
    const failure = await Sandbox.probe(confinement, settings.tempDir);
    if (failure !== undefined) {
      const who = confinement.user === undefined ? 'the worker' : `user ${confinement.user.uid}`;
      throw new Error(`External tools cannot write in TEMP_DIR (${settings.tempDir}) as ${who}: ${failure}. Let that user reach it (o+x on every parent folder) or set TEMP_DIR elsewhere.`);
    }
    return new Sandbox(confinement, settings.locale, reason);
  }

  /** Writes a file in a new folder of TEMP_DIR through the sandbox; undefined when it works, else why not. */
  private static async probe(confinement: Confinement, tempDir: string): Promise<string | undefined> {
    await mkdir(tempDir, { recursive: true });
    const dir = await mkdtemp(path.join(tempDir, 'sandbox-probe-'));
    try {
      if (confinement.user !== undefined) await lchown(dir, confinement.user.uid, confinement.user.gid);
      const command = sandboxCommand(confinement, { writable: [dir] }, 'touch', [path.join(dir, 'probe')]);
      await runTool(command, { signal: AbortSignal.timeout(20_000), env: toolEnvironment({}, dir), name: 'the sandbox probe' });
      return undefined;
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return text.replace(/^[^:]*failed \(exit \S+\):\s*/, '').slice(0, 300) || 'it exited with an error';
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Without bubblewrap, the tools' user must reach job folders in TEMP_DIR but must not list
   * DATA_DIR or TEMP_DIR: both become 0711, so a tool reaches only a folder whose name it is given.
   */
  private static async closeSharedFolders(settings: SandboxSettings): Promise<void> {
    for (const dir of settings.hidden) {
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o711);
    }
  }

  /** Whether tools run as root (the worker is root and SANDBOX_UID is 0). */
  get toolsRunAsRoot(): boolean {
    return process.getuid?.() === 0 && this.confinement.user === undefined;
  }

  /**
   * Whether a browser inside a tool (Chromium, calibre's QtWebEngine) can use its own sandbox
   * too: it needs a non-root user and user namespaces, which bubblewrap proves are there.
   */
  get browsersCanSandbox(): boolean {
    return this.confinement.kind === 'bubblewrap' && !this.toolsRunAsRoot;
  }

  report(): SandboxReport {
    const { limits, user, kind } = this.confinement;
    return {
      kind,
      user: user === undefined ? `${process.getuid?.() ?? '?'} (the worker's)` : `${user.uid}:${user.gid}`,
      namespaces: kind === 'bubblewrap',
      network: kind === 'bubblewrap' ? 'none' : 'worker',
      limits: { memoryMb: Math.round(limits.memoryBytes / MB), cpuSeconds: limits.cpuSeconds, fileSizeMb: Math.round(limits.fileSizeBytes / MB), processes: limits.processes },
      ...(this.reason === undefined ? {} : { reason: this.reason }),
    };
  }

  /** The command that runs `binary` under `policy` (for processes that are not one-shot: pools), with the sandbox's limits unless given others. */
  command(policy: ToolPolicy, binary: string, args: readonly string[], limits: ToolLimits = this.confinement.limits): WrappedCommand {
    return sandboxCommand({ ...this.confinement, limits }, { ...policy, readable: [...(policy.readable ?? []), ...this.folderOf(binary)] }, binary, args);
  }

  /** Where a tool under `mount` sees the host's `file` (a mount shown elsewhere moves it with it). */
  pathInside(mount: Mount, file: string): string {
    if (typeof mount === 'string' || this.confinement.kind !== 'bubblewrap') return file;
    const relative = path.relative(mount.host, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`${file} is not under ${hostPath(mount)}`);
    return path.join(mount.at, relative);
  }

  /** The base environment of a tool whose own folder is `home`, plus `extra`. */
  environment(home: string | undefined, extra?: Readonly<Record<string, string>>): Record<string, string> {
    return { ...toolEnvironment(this.locale, home), ...extra };
  }

  /** Lets the tools' user write in `dir` and its sub-folders (only folders: files stay the worker's, readable). */
  async prepare(dir: string): Promise<void> {
    const user = this.confinement.user;
    if (user === undefined) return;
    const walk = async (folder: string): Promise<void> => {
      const stats = await lstat(folder);
      if (!stats.isDirectory()) return;
      if (stats.uid !== user.uid) await lchown(folder, user.uid, user.gid);
      for (const entry of await readdir(folder, { withFileTypes: true })) if (entry.isDirectory()) await walk(path.join(folder, entry.name));
    };
    await walk(dir);
  }

  /**
   * A runner for the one-shot tools of the job whose folder is `workDir`. `job` replaces the
   * sandbox's memory limit (TOOL_MEMORY_MB) and priority for these tools: a light conversion's
   * get less memory and the worker's own priority.
   */
  runner(workDir: string, job?: JobToolLimits): ToolRunner {
    const limits: ToolLimits = job === undefined ? this.confinement.limits : { ...this.confinement.limits, memoryBytes: job.memoryBytes, niceness: job.niceness };
    return {
      run: async (binary, args, options) => {
        // An aborted job's folder is about to go: a tool started now would only race its removal.
        options.signal.throwIfAborted();
        // Not recursive: a job folder removed meanwhile must stay gone, not come back as a parent.
        await mkdir(path.join(workDir, '.tmp')).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        });
        await this.prepare(workDir);
        const command = this.command({ writable: [workDir], readable: options.readable ?? [] }, binary, args, limits);
        return runTool(command, { ...options, env: this.environment(workDir, options.env), name: path.basename(binary) }).catch((error: unknown) => {
          throw limitFailure(error, path.basename(binary), limits, job?.setting) ?? error;
        });
      },
    };
  }

  /** A binary given with a path outside the system folders: its folder is shown read-only. */
  private folderOf(binary: string): string[] {
    if (!path.isAbsolute(binary)) return [];
    if (!this.binaryFolders.has(binary)) {
      const inSystem = SYSTEM_FOLDERS.some((root) => binary.startsWith(`${root}/`));
      this.binaryFolders.set(binary, inSystem ? undefined : path.dirname(binary));
    }
    const folder = this.binaryFolders.get(binary);
    return folder === undefined ? [] : [folder];
  }
}
