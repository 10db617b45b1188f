// The tool sandbox as a worker would start it with the default settings, for tests that drive
// an engine directly, and a converter context around it.
import { loadConfig } from '../../src/config/index.js';
import type { ConverterContext } from '../../workers/converters/types.js';
import { startSandbox } from '../../workers/runtime.js';
import type { Sandbox } from '../../workers/tools/sandbox/index.js';

/** A sandbox whose DATA_DIR and TEMP_DIR are `dir` (hidden from tools; job folders are bound one by one). */
export function testSandbox(dir: string, env: Record<string, string> = {}): Promise<Sandbox> {
  return startSandbox(loadConfig({ DATA_DIR: dir, TEMP_DIR: dir, ...env }));
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };

/** A converter context for a job folder `workDir`, its tools in `sandbox`. */
export function testContext(sandbox: Sandbox, workDir: string, signal: AbortSignal = new AbortController().signal): ConverterContext {
  return { workDir, signal, log: silent as unknown as ConverterContext['log'], progress: () => undefined, tools: sandbox.runner(workDir) };
}
