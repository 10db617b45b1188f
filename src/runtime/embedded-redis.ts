// Without REDIS_URL, `npm start` runs its own redis-server (append-only persistence under
// DATA_DIR/redis, loopback only, a free port) and stops it itself, last, on exit. It runs in a
// process group of its own, so a Ctrl-C in the terminal does not stop it before the server has
// finished with it, and with a parent-death signal (setpriv), so a crashed server leaves no
// redis-server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';

export interface EmbeddedRedis {
  readonly url: string;
  /** The redis-server's process id. */
  readonly pid: number | undefined;
  /** Resolves when the redis-server has exited, whether stopped or not. */
  readonly exited: Promise<void>;
  /** SIGTERM (Redis writes its append-only file and exits), SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

const SETPRIV = '/usr/bin/setpriv';
/** How long a stopping redis-server may take before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined); // expected while redis-server is still starting
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
  throw new Error('redis-server did not start in time');
}

export async function startEmbeddedRedis(options: { dir: string; persistent: boolean; binary?: string }): Promise<EmbeddedRedis> {
  await mkdir(options.dir, { recursive: true });
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', path.resolve(options.dir), '--save', '', '--daemonize', 'no', '--protected-mode', 'yes', '--logfile', ''];
  args.push('--appendonly', options.persistent ? 'yes' : 'no');
  // SIGTERM on the parent's death: Redis then still flushes its append-only file.
  const [command, argv] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'TERM', '--', options.binary ?? 'redis-server', ...args]] : [options.binary ?? 'redis-server', args];
  const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const failed = new Promise<never>((_, reject) => child.once('error', (error) => reject(new Error(`Could not start redis-server (${error.message}). Install it (apt-get install redis-server) or set REDIS_URL.`))));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  try {
    await Promise.race([waitForPing(url, child, 10000), failed]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { url, pid: child.pid, exited, stop: () => stopChild(child, exited) };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
