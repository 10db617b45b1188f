// Without REDIS_URL, `npm start` runs its own redis-server (append-only persistence under
// DATA_DIR/redis, loopback only, a free port) and stops it on exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';

export interface EmbeddedRedis {
  readonly url: string;
  stop(): Promise<void>;
}

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
  const child = spawn(options.binary ?? 'redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const failed = new Promise<never>((_, reject) => child.once('error', (error) => reject(new Error(`Could not start redis-server (${error.message}). Install it (apt-get install redis-server) or set REDIS_URL.`))));
  const url = `redis://127.0.0.1:${port}`;
  await Promise.race([waitForPing(url, child, 10000), failed]);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
