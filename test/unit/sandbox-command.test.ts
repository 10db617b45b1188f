import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bubblewrapArgs, limitArgs, sandboxCommand, toolEnvironment, type Confinement } from '../../workers/tools/sandbox/command.js';
import { limitFailure } from '../../workers/tools/sandbox/limits.js';
import { ToolError } from '../../workers/tools/run-tool.js';

const limits = { memoryBytes: 1024 ** 3, cpuSeconds: 60, fileSizeBytes: 2 * 1024 ** 3, processes: 512, niceness: 0 };
const roots = [{ path: '/usr', bind: true as const }, { path: '/etc', bind: true as const }, { path: '/bin', symlink: 'usr/bin' }];
const confinement = (over: Partial<Confinement> = {}): Confinement => ({ kind: 'bubblewrap', bwrap: 'bwrap', user: { uid: 65534, gid: 65534 }, limits, systemRoots: roots, hidden: ['/data', '/data/tmp'], ...over });

/** The value after each occurrence of `flag`. */
const valuesOf = (args: readonly string[], flag: string): string[] => args.flatMap((a, i) => (a === flag ? [args[i + 1] ?? ''] : []));

describe('the tool sandbox command', () => {
  it('binds only the system folders and the job folder: not DATA_DIR, not other jobs, not the worker\'s /proc', () => {
    const args = bubblewrapArgs(confinement(), { writable: ['/data/tmp/job-1'] });
    assert.deepEqual(valuesOf(args, '--ro-bind-try'), ['/usr', '/etc']);
    assert.deepEqual(valuesOf(args, '--bind'), ['/data/tmp/job-1']);
    assert.ok(args.includes('--unshare-pid') && args.includes('--unshare-net') && args.includes('--unshare-ipc'));
    assert.deepEqual(valuesOf(args, '--proc'), ['/proc']);
    assert.ok(valuesOf(args, '--tmpfs').includes('/tmp'), 'a private /tmp');
    // The parents of the job folder are made by the sandbox (reachable), not copied from the host.
    assert.deepEqual(valuesOf(args, '--dir'), ['/data', '/data/tmp']);
  });

  it('gives the network only when the policy asks (the browser)', () => {
    assert.ok(!bubblewrapArgs(confinement(), { writable: ['/j'], network: true }).includes('--unshare-net'));
    const unprivileged = bubblewrapArgs(confinement({ user: undefined }), { writable: ['/j'] });
    assert.ok(unprivileged.includes('--unshare-all') && !unprivileged.includes('--share-net'));
    assert.ok(bubblewrapArgs(confinement({ user: undefined }), { writable: ['/j'], network: true }).includes('--share-net'));
  });

  it('covers DATA_DIR with an empty folder when a system folder holds it', () => {
    const args = bubblewrapArgs(confinement({ hidden: ['/usr/local/openconvert'] }), { writable: ['/usr/local/openconvert/tmp/job-2'] });
    const tmpfs = args.indexOf('/usr/local/openconvert');
    assert.equal(args[tmpfs - 1], '--tmpfs');
    assert.ok(tmpfs < args.indexOf('/usr/local/openconvert/tmp/job-2'), 'covered before the job folder is bound inside it');
    assert.deepEqual(valuesOf(args, '--dir'), ['/usr/local/openconvert/tmp']);
  });

  it('shows a mount at another path and shares a /tmp when asked (a pool instance)', () => {
    const args = bubblewrapArgs(confinement(), { writable: [{ host: '/data/tmp/lo/instance-0', at: '/instance' }], sharedTmp: '/data/tmp/lo/instance-0/tmp' });
    assert.deepEqual(valuesOf(args, '--bind'), ['/data/tmp/lo/instance-0/tmp', '/data/tmp/lo/instance-0']);
    assert.equal(args[args.indexOf('/data/tmp/lo/instance-0') + 1], '/instance');
    assert.ok(!valuesOf(args, '--tmpfs').includes('/tmp'));
  });

  it('drops a root worker\'s tools to the sandbox user inside bubblewrap, under limits and a parent-death signal', () => {
    const { command, args } = sandboxCommand(confinement(), { writable: ['/j'] }, 'gs', ['-dSAFER', '/j/in.pdf']);
    assert.equal(command, '/usr/bin/setpriv');
    assert.deepEqual(args.slice(0, 3), ['--pdeathsig', 'KILL', '--']);
    const tool = args.indexOf('gs');
    assert.deepEqual(args.slice(tool - 5, tool), ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--']);
    assert.deepEqual(args.slice(tool), ['gs', '-dSAFER', '/j/in.pdf']);
    assert.ok(args.indexOf('/usr/bin/prlimit') < args.indexOf('bwrap'));
    assert.deepEqual(valuesOf(args, '--cap-add'), ['CAP_SETUID', 'CAP_SETGID']);
  });

  it('without namespaces still applies the limits and the separate user, starting in the tool\'s folder', () => {
    const wrapped = sandboxCommand(confinement({ kind: 'rlimits' }), { writable: ['/j'] }, 'ffmpeg', ['-i', 'x']);
    assert.ok(!wrapped.args.includes('bwrap'));
    assert.deepEqual(wrapped.args.slice(0, 6), ['--pdeathsig', 'KILL', '--reuid=65534', '--regid=65534', '--clear-groups', '--']);
    assert.equal(wrapped.cwd, '/j');
  });

  it('runs a tool with a nice value under nice, inside the parent-death wrapper and outside the limits; at 0 without it', () => {
    for (const kind of ['bubblewrap', 'rlimits'] as const) {
      const niced = sandboxCommand(confinement({ kind, limits: { ...limits, niceness: 10 } }), { writable: ['/j'] }, 'ffmpeg', ['-i', 'x']).args;
      const at = niced.indexOf('/usr/bin/nice');
      assert.deepEqual(niced.slice(at, at + 4), ['/usr/bin/nice', '-n', '10', '/usr/bin/prlimit'], kind);
      assert.ok(at > niced.indexOf('--pdeathsig'), kind);
      assert.ok(!sandboxCommand(confinement({ kind }), { writable: ['/j'] }, 'ffmpeg', []).args.includes('/usr/bin/nice'), kind);
    }
  });

  it('sets soft and hard limits alike, and no CPU limit for long-lived pool processes', () => {
    assert.deepEqual(limitArgs(limits, true), [`--data=${1024 ** 3}:${1024 ** 3}`, `--fsize=${2 * 1024 ** 3}:${2 * 1024 ** 3}`, '--nproc=512:512', '--core=0:0', '--cpu=60:65']);
    assert.ok(!limitArgs(limits, false).some((a) => a.startsWith('--cpu')));
  });

  it('passes on locale and time zone only, never the worker\'s keys', () => {
    const env = toolEnvironment({ LANG: 'de_DE.UTF-8', TZ: 'Europe/Berlin' }, '/j');
    assert.deepEqual(env, { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'de_DE.UTF-8', TZ: 'Europe/Berlin', HOME: '/j', TMPDIR: '/j/.tmp' });
  });
});

describe('a tool stopped by its limits', () => {
  it('names the limit and its setting', () => {
    assert.match(limitFailure(new ToolError('ffmpeg', null, '', 'SIGXCPU'), 'ffmpeg', limits)?.message ?? '', /60 s of CPU time \(TOOL_CPU_SECONDS\)/);
    assert.match(limitFailure(new ToolError('gs', null, '', 'SIGXFSZ'), 'gs', limits)?.message ?? '', /2048 MB \(TOOL_MAX_FILE_MB\)/);
    assert.match(limitFailure(new ToolError('gs', 1, 'GPL Ghostscript: VMerror in -dSAFER', null), 'gs', limits)?.message ?? '', /ran out of memory.*1024 MB \(TOOL_MEMORY_MB\)/);
    assert.equal(limitFailure(new ToolError('gs', 1, 'Error: /syntaxerror', null), 'gs', limits), undefined);
    assert.equal(limitFailure(new Error('other'), 'gs', limits), undefined);
  });

  it("names the memory setting that applied: a light conversion's tools run under LIGHT_TOOL_MEMORY_MB", () => {
    const light = { ...limits, memoryBytes: 64 * 1024 ** 2 };
    const outOfMemory = limitFailure(new ToolError('mutool', 1, 'error: malloc of 25248300 bytes failed', null), 'mutool', light, 'LIGHT_TOOL_MEMORY_MB')?.message ?? '';
    assert.match(outOfMemory, /mutool ran out of memory: each tool may use 64 MB \(LIGHT_TOOL_MEMORY_MB\)/);
    assert.match(limitFailure(new ToolError('potrace', null, '', 'SIGSEGV'), 'potrace', light, 'LIGHT_TOOL_MEMORY_MB')?.message ?? '', /64 MB of memory each tool may use \(LIGHT_TOOL_MEMORY_MB\)/);
    assert.doesNotMatch(outOfMemory, /[^_]TOOL_MEMORY_MB|^TOOL_MEMORY_MB/, 'not the heavy setting as well');
  });
});
