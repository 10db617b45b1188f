// Pure: a tool stopped by one of its sandbox limits becomes a conversion error that says which
// limit and which setting raises it, instead of the tool's own last words.
import { appError, type AppError } from '../../../src/core/errors.js';
import { ToolError } from '../run-tool.js';
import type { ToolLimits } from './command.js';

/** What tools print when an allocation fails (glibc, C++, Python, Ghostscript, MuPDF, ffmpeg). */
const OUT_OF_MEMORY = /out of memory|cannot allocate memory|std::bad_alloc|\bMemoryError\b|\bVMerror\b|memory exhausted|malloc\b.*\bfailed|failed to allocate|Cannot allocate/i;
const MB = 1024 * 1024;
/** Signals of a tool that crashed, often on a failed allocation it did not check. */
const CRASHES: ReadonlySet<string> = new Set(['SIGSEGV', 'SIGABRT', 'SIGBUS']);

/**
 * The memory each tool of one job may use, and the setting it comes from: a light conversion's
 * tools get a smaller limit than the heavy ones (many of them run at once), and a tool over it
 * must name the setting that actually applied.
 */
export interface JobToolLimits {
  /** Writable private memory of each tool process (RLIMIT_DATA). */
  readonly memoryBytes: number;
  /** The variable that sets it (`TOOL_MEMORY_MB`, `LIGHT_TOOL_MEMORY_MB`), named in the failure. */
  readonly setting: string;
  /** The tools' nice value: a heavy conversion's tools yield the cores to the light ones. */
  readonly niceness: number;
}

/** The setting of the sandbox's own memory limit, when a job's tools get no other. */
const TOOL_MEMORY_SETTING = 'TOOL_MEMORY_MB';

/** The AppError for a tool that hit a limit; undefined for any other failure. `memorySetting` names where `limits.memoryBytes` comes from. */
export function limitFailure(error: unknown, tool: string, limits: ToolLimits, memorySetting = TOOL_MEMORY_SETTING): AppError | undefined {
  if (!(error instanceof ToolError)) return undefined;
  if (error.signal === 'SIGXCPU') {
    return appError('CONVERSION_FAILED', `${tool} used more than its ${limits.cpuSeconds} s of CPU time (TOOL_CPU_SECONDS) and was stopped. Send a smaller file or ask the operator to raise the limit.`);
  }
  if (error.signal === 'SIGXFSZ') {
    return appError('CONVERSION_FAILED', `${tool} tried to write a file larger than ${Math.round(limits.fileSizeBytes / MB)} MB (TOOL_MAX_FILE_MB) and was stopped. Ask for a smaller output (lower resolution or quality).`);
  }
  if (OUT_OF_MEMORY.test(error.stderrTail)) {
    return appError('CONVERSION_FAILED', `${tool} ran out of memory: each tool may use ${Math.round(limits.memoryBytes / MB)} MB (${memorySetting}). Send a smaller file or ask for a smaller output.`);
  }
  if (error.signal === 'SIGKILL') {
    return appError('CONVERSION_FAILED', `${tool} was killed: it went over its CPU time (TOOL_CPU_SECONDS = ${limits.cpuSeconds} s) or the machine ran out of memory. Send a smaller file or ask the operator to raise the limits.`);
  }
  if (error.signal !== null && CRASHES.has(error.signal)) {
    return appError('CONVERSION_FAILED', `${tool} crashed (${error.signal}) on this file: it may be malformed, or need more than the ${Math.round(limits.memoryBytes / MB)} MB of memory each tool may use (${memorySetting}).`);
  }
  return undefined;
}
