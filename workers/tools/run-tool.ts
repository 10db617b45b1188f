// Runs an external tool (ffmpeg, ffprobe, later soffice, mutool...) for a converter: no shell,
// killed at once when the job's signal aborts, and killed by the kernel if the worker itself
// dies (setpriv --pdeathsig), so no tool process outlives its job.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { toolEnvironment } from '../../src/config/index.js';

export { toolEnvironment };

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
  ) {
    super(`${tool} failed (exit ${exitCode}): ${stderrTail.trim().split('\n').pop() ?? ''}`);
    this.name = 'ToolError';
  }
}

const SETPRIV = '/usr/bin/setpriv';
const TAIL = 8192;

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
  /** Variables set for the tool on top of the worker's safe ones (e.g. HOME in the job's folder). */
  readonly env?: Readonly<Record<string, string>>;
  /** false: the tool sees only `env`, not even PATH, HOME or LANG of the worker. */
  readonly inheritEnv?: boolean;
}

export function runTool(binary: string, args: readonly string[], options: RunOptions): Promise<ToolResult> {
  options.signal.throwIfAborted();
  const [command, argv] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', binary, ...args]] : [binary, [...args]];
  return new Promise((resolve, reject) => {
    // Never the worker's whole environment: it holds the store's keys and the Redis URL.
    const env = options.inheritEnv === false ? { ...options.env } : { ...toolEnvironment(), ...options.env };
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    const kill = (): void => void child.kill('SIGKILL');
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
      reject(new Error(`Could not run ${binary}: ${error.message}. Is it installed? (scripts/setup.sh installs it)`));
    });
    child.once('close', (code) => {
      options.signal.removeEventListener('abort', kill);
      if (options.signal.aborted) return reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'));
      if (code === 0) resolve({ stdout, stderrTail: stderr });
      else reject(new ToolError(binary, code, stderr));
    });
  });
}
