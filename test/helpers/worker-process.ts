// Runs a conversion worker as a separate OS process (workers/main.ts), so a test can kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { TestServer } from './server.js';

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Everything the worker printed so far (its JSON log lines). */
  output(): string;
  /** SIGKILL, as a crashed machine would. */
  kill(): Promise<void>;
  /** SIGTERM, as `docker stop` would; resolves with the exit code once the process has exited. */
  terminate(): Promise<number | null>;
}

/**
 * Starts `node --import tsx <script>` and resolves once its stdout has shown `ready`, with what it
 * printed so far; rejects with its last output when it exits first.
 */
export async function spawnUntilReady(script: string, env: NodeJS.ProcessEnv, ready: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env,
    // stderr is piped, not inherited: a process left behind by a test file killed at its timeout
    // would otherwise hold the test runner's pipe open, and the runner would wait for it forever.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(ready)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${script} exited early with code ${code}: ${seen.slice(-500)}`)));
  });
  return { child, output: () => seen };
}

export async function startWorkerProcess(server: TestServer, env: Record<string, string> = {}): Promise<WorkerProcess> {
  // workers/main.ts logs "worker ready" once it takes jobs.
  const { child, output } = await spawnUntilReady('workers/main.ts', {
      PATH: process.env['PATH'] ?? '',
      REDIS_URL: server.redisUrl,
      DATA_DIR: server.dataDir,
      API_KEYS: server.config.apiKeys?.join(',') ?? '',
      LOG_LEVEL: 'info',
      WARM_POOLS: 'false', // as in startTestServer: the suite's workers start their pools on first use
      ...env,
  }, 'worker ready');
  return {
    child,
    output,
    async terminate() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}
