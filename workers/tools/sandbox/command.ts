// Pure: the command line that confines one external tool. Two kinds of confinement:
// - bubblewrap: the tool sees the system's read-only folders (/usr, /etc), its own writable
//   folders and nothing else: no DATA_DIR, no other job, its own /proc (pid namespace), its own
//   /tmp, no network unless the policy asks for it;
// - rlimits: where namespaces are not allowed (Docker's default seccomp profile), only the limits
//   and the separate user below apply.
// Both run the tool as a separate unprivileged user when the worker is root (setpriv), with a
// parent-death signal, and under resource limits (prlimit: memory, CPU time, file size, processes).
// A root worker starts bubblewrap as root (it binds the job's folder wherever it lies) and the
// tool drops to the tools' user inside; any other worker runs bubblewrap in a user namespace.
import path from 'node:path';

export const SANDBOX_KINDS = ['bubblewrap', 'rlimits'] as const;
export type SandboxKind = (typeof SANDBOX_KINDS)[number];

export interface ToolLimits {
  /** Writable private memory of each process (RLIMIT_DATA: heap and anonymous mappings). */
  readonly memoryBytes: number;
  /** CPU seconds of each process (RLIMIT_CPU); not applied to long-lived pool processes. */
  readonly cpuSeconds: number;
  /** Largest file a tool may write (RLIMIT_FSIZE). */
  readonly fileSizeBytes: number;
  /** Processes and threads of the tools' user (RLIMIT_NPROC). */
  readonly processes: number;
  /** The tool's nice value (0: the worker's own priority; higher yields the cores to the others). */
  readonly niceness: number;
}

/** A top-level system folder as the sandbox shows it: a symlink (merged /usr) or a read-only bind. */
export type SystemRoot = { readonly path: string; readonly symlink: string } | { readonly path: string; readonly bind: true };

/** What the worker's sandbox is, decided once at start (see index.ts). */
export interface Confinement {
  readonly kind: SandboxKind;
  readonly bwrap: string;
  /** The user tools run as (the worker is root); undefined: the worker's own user. */
  readonly user: { readonly uid: number; readonly gid: number } | undefined;
  readonly limits: ToolLimits;
  /** Read-only system folders shown to tools: /usr, /etc, /bin... */
  readonly systemRoots: readonly SystemRoot[];
  /** Folders no tool may see even where a system folder holds them (DATA_DIR, TEMP_DIR). */
  readonly hidden: readonly string[];
}

/** A writable folder: at its own path, or (bubblewrap only) shown at another one. */
export type Mount = string | { readonly host: string; readonly at: string };

/** What one tool run may touch. */
export interface ToolPolicy {
  /** Folders the tool reads and writes: its job's folder, or a pool instance's own. */
  readonly writable: readonly Mount[];
  /** Files or folders it may read besides the system's (a script of ours, a tool outside /usr). */
  readonly readable?: readonly string[];
  /** Only the browser gets the network (its traffic goes through the guard proxy). */
  readonly network?: boolean;
  /** A host folder shown as /tmp (processes that meet through a socket there); else a small private /tmp. */
  readonly sharedTmp?: string;
  /** Long-lived pool processes get no CPU-time limit (their conversions have their own timeouts). */
  readonly noCpuLimit?: boolean;
}

export interface WrappedCommand {
  readonly command: string;
  readonly args: string[];
  /** Where the command starts (without bubblewrap: the tool's own folder). */
  readonly cwd?: string;
}

export const SETPRIV = '/usr/bin/setpriv';
export const PRLIMIT = '/usr/bin/prlimit';
/** coreutils' nice: heavy tools run at a lower CPU priority than the light ones. */
export const NICE = '/usr/bin/nice';
/** Size of the private /tmp and /dev/shm (memory); tools get TMPDIR in their own folder for real temporary files. */
const PRIVATE_TMP_BYTES = 256 * 1024 * 1024;

/** Between SIGXCPU and SIGKILL, for a tool that catches the first. */
const CPU_GRACE_SECONDS = 5;

const isUnder = (child: string, parent: string): boolean => child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
export const hostPath = (mount: Mount): string => (typeof mount === 'string' ? mount : mount.host);
const sandboxPath = (mount: Mount): string => (typeof mount === 'string' ? mount : mount.at);

/** Every folder above `paths` (outermost first) that the sandbox must make itself: bubblewrap would copy the host's modes, which can shut the tools' user out. */
function parentsToMake(paths: readonly string[], exists: (dir: string) => boolean): string[] {
  const made = new Set<string>();
  for (const target of paths) {
    const parts = target.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`;
      if (!exists(dir)) made.add(dir);
    }
  }
  return [...made];
}

/**
 * prlimit's arguments: soft and hard limit equal, so the tool cannot raise them. CPU time keeps
 * a few seconds between the two: at the soft limit the kernel sends SIGXCPU (which says why the
 * tool stopped), at the hard one SIGKILL.
 */
export function limitArgs(limits: ToolLimits, cpu: boolean): string[] {
  const both = (value: number): string => `${value}:${value}`;
  const args = [`--data=${both(limits.memoryBytes)}`, `--fsize=${both(limits.fileSizeBytes)}`, `--nproc=${both(limits.processes)}`, '--core=0:0'];
  if (cpu) args.push(`--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + CPU_GRACE_SECONDS}`);
  return args;
}

/**
 * The namespaces: all of them for an unprivileged bubblewrap. A root bubblewrap makes no user
 * namespace (the tool's setuid inside needs the real ids) and keeps only the two capabilities
 * setpriv needs to drop to the tools' user; the kernel clears them at that setuid.
 */
function namespaceArgs(confinement: Confinement, network: boolean): string[] {
  if (confinement.user === undefined) return ['--unshare-all', ...(network ? ['--share-net'] : []), '--cap-drop', 'ALL'];
  return ['--unshare-ipc', '--unshare-pid', '--unshare-uts', '--unshare-cgroup-try', ...(network ? [] : ['--unshare-net']), '--cap-drop', 'ALL', '--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID'];
}

/** bubblewrap's arguments for a policy, up to (not including) the tool's own command. */
export function bubblewrapArgs(confinement: Confinement, policy: ToolPolicy): string[] {
  const args = [...namespaceArgs(confinement, policy.network === true), '--die-with-parent', '--new-session'];
  const bound: string[] = [];
  for (const root of confinement.systemRoots) {
    if ('symlink' in root) args.push('--symlink', root.symlink, root.path);
    else {
      args.push('--ro-bind-try', root.path, root.path);
      bound.push(root.path);
    }
  }
  // /tmp and /dev/shm writable by every user, as on a normal system (the tool is not root here).
  args.push('--proc', '/proc', '--dev', '/dev', '--perms', '1777', '--size', String(PRIVATE_TMP_BYTES), '--tmpfs', '/dev/shm');
  if (policy.sharedTmp !== undefined) args.push('--bind', policy.sharedTmp, '/tmp');
  else args.push('--perms', '1777', '--size', String(PRIVATE_TMP_BYTES), '--tmpfs', '/tmp');
  // A hidden folder under a bound system folder is covered by an empty one before the tool's own
  // folders are bound (they may lie inside it).
  const masked = confinement.hidden.filter((hidden) => bound.some((root) => isUnder(hidden, root)));
  for (const hidden of masked) args.push('--tmpfs', hidden);
  const readable = policy.readable ?? [];
  const targets = [...readable, ...policy.writable.map(sandboxPath)];
  const exists = (dir: string): boolean => ['/tmp', '/proc', '/dev'].includes(dir) || masked.includes(dir) || (bound.some((root) => isUnder(dir, root)) && !masked.some((m) => isUnder(dir, m)));
  for (const dir of parentsToMake(targets, exists)) args.push('--perms', '0755', '--dir', dir);
  for (const file of readable) args.push('--ro-bind', file, file);
  for (const mount of policy.writable) args.push('--bind', hostPath(mount), sandboxPath(mount));
  // A root bubblewrap cannot enter a folder of the tools' user (it has no capabilities left when it
  // changes directory); the tool starts in / then, and every path given to tools is absolute.
  const home = policy.writable[0];
  if (home !== undefined && confinement.user === undefined) args.push('--chdir', sandboxPath(home));
  return args;
}

/**
 * The whole command: `setpriv [user] -- prlimit <limits> -- [bwrap <policy> --] <tool> <args>`.
 * setpriv's parent-death signal kills the chain when the worker dies, even by SIGKILL.
 */
export function sandboxCommand(confinement: Confinement, policy: ToolPolicy, binary: string, args: readonly string[]): WrappedCommand {
  const user = confinement.user === undefined ? [] : [`--reuid=${confinement.user.uid}`, `--regid=${confinement.user.gid}`, '--clear-groups'];
  // nice before prlimit: inherited by everything the tool starts, and raising it needs no privilege.
  const nice = confinement.limits.niceness > 0 ? [NICE, '-n', String(confinement.limits.niceness)] : [];
  const limits = [...nice, PRLIMIT, ...limitArgs(confinement.limits, policy.noCpuLimit !== true), '--'];
  const home = policy.writable[0];
  if (confinement.kind === 'rlimits') return { command: SETPRIV, args: ['--pdeathsig', 'KILL', ...user, '--', ...limits, binary, ...args], ...(home === undefined ? {} : { cwd: hostPath(home) }) };
  const drop = user.length === 0 ? [] : [SETPRIV, ...user, '--'];
  return { command: SETPRIV, args: ['--pdeathsig', 'KILL', '--', ...limits, confinement.bwrap, ...bubblewrapArgs(confinement, policy), '--', ...drop, binary, ...args] };
}

/** The environment every tool gets: nothing of the worker's but locale and time zone. */
export function toolEnvironment(worker: Readonly<Record<string, string | undefined>>, home: string | undefined): Record<string, string> {
  const env: Record<string, string> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: worker['LANG'] ?? 'C.UTF-8' };
  for (const name of ['LC_ALL', 'LC_CTYPE', 'TZ'] as const) {
    const value = worker[name];
    if (value !== undefined) env[name] = value;
  }
  if (home !== undefined) {
    env['HOME'] = home;
    env['TMPDIR'] = path.join(home, '.tmp');
  }
  return env;
}
