// Spawns an external tool's (already sandboxed) command: no shell, in a process group of its
// own that is killed as a whole when the job's signal aborts, with bounded output capture.
// Converters do not call this directly: they run tools through the sandbox's ToolRunner
// (workers/tools/sandbox), which builds the confined command and its environment.
import { abortError } from '../../src/core/errors.js';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface ToolResult {
  readonly stdout: string;
  /** The last part of stderr: enough for an error message, bounded in memory. */
  readonly stderrTail: string;
}

export class ToolError extends Error {
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
    /** The signal that ended the tool (SIGXCPU: its CPU limit; SIGSEGV: a crash), or null. */
    readonly signal: NodeJS.Signals | null = null,
  ) {
    super(`${tool} failed (${signal ?? `exit ${exitCode}`}): ${stderrTail.trim().split('\n').pop() ?? ''}`);
    this.name = 'ToolError';
  }
}

const TAIL = 8192;
/** Signals worth naming when bubblewrap reports them as exit code 128 + number. */
const REPORTED_SIGNALS = ['SIGXCPU', 'SIGXFSZ', 'SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGKILL'] as const;

/** The signal that ended a tool: the child's own, or the one bubblewrap passes on as 128 + number. */
function endingSignal(code: number | null, signal: NodeJS.Signals | null): NodeJS.Signals | null {
  if (signal !== null || code === null || code <= 128) return signal;
  return REPORTED_SIGNALS.find((name) => constants.signals[name] === code - 128) ?? null;
}

export interface RunOptions {
  readonly signal: AbortSignal;
  /** Receives stdout as it arrives (e.g. progress lines); stdout is then not collected. */
  readonly onStdout?: (chunk: string) => void;
  /** Collect stdout up to this many bytes (e.g. ffprobe's JSON). */
  readonly maxStdout?: number;
  /**
   * Receives stdout as raw bytes, with backpressure (e.g. an archive stream to parse); stdout is
   * then not collected. The sink is ended when the tool exits; the caller waits for it itself.
   */
  readonly stdoutSink?: NodeJS.WritableStream;
  /** The tool's whole environment (never the worker's: it holds the store's keys and the Redis URL). */
  readonly env: Readonly<Record<string, string>>;
  /** The tool's name in messages (the command itself may be a wrapper). */
  readonly name: string;
}

/** Kills a process group; a process already gone is fine. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function runTool(command: { readonly command: string; readonly args: readonly string[]; readonly cwd?: string }, options: RunOptions): Promise<ToolResult> {
  options.signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = spawn(command.command, [...command.args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...options.env }, detached: true, ...(command.cwd === undefined ? {} : { cwd: command.cwd }) });
    let stdout = '';
    let stderr = '';
    const kill = (): void => killGroup(child.pid);
    options.signal.addEventListener('abort', kill, { once: true });
    if (options.stdoutSink !== undefined) child.stdout.pipe(options.stdoutSink);
    else child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (options.onStdout !== undefined) options.onStdout(chunk);
      else if (stdout.length < (options.maxStdout ?? 1024 * 1024)) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-TAIL);
    });
    child.once('error', (error) => {
      options.signal.removeEventListener('abort', kill);
      reject(new Error(`Could not run ${options.name}: ${error.message}. Is it installed? (scripts/setup.sh installs it)`));
    });
    child.once('close', (code, signal) => {
      options.signal.removeEventListener('abort', kill);
      // Helpers the tool left behind in its group go with it.
      kill();
      if (options.signal.aborted) return reject(abortError(options.signal));
      if (code === 0) resolve({ stdout, stderrTail: stderr });
      else if (code === 127 && /No such file|not found|cannot execute|Permission denied/i.test(stderr)) reject(new Error(`Could not run ${options.name}: ${stderr.trim().split('\n').pop() ?? ''}. Is it installed? (scripts/setup.sh installs it)`));
      else reject(new ToolError(options.name, code, stderr, endingSignal(code, signal)));
    });
  });
}
