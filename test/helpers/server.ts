// Starts a real server for a test file: its own redis-server on a free port, a temp DATA_DIR,
// the API listening on 127.0.0.1 and a worker in the same process. Nothing is mocked.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { loadConfig, type Config } from '../../src/config/index.js';
import { configuredKeys, configuredPresets, createCore, createLogger, startEmbeddedRedis, type Core } from '../../src/runtime/index.js';
import { startApi } from '../../src/runtime/api.js';
import { startWorker } from '../../workers/runtime.js';

import { OTHER_KEY, TEST_KEY } from './test-keys.js';

export { OTHER_KEY, TEST_KEY } from './test-keys.js';

export interface TestServer {
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  readonly port: number;
  readonly config: Config;
  readonly core: Core;
  readonly dataDir: string;
  readonly redisUrl: string;
  /** The API itself, for tests that look at its routes. */
  readonly app: FastifyInstance;
  /** Absolute http URL for a protocol-relative one from a response. */
  abs(url: string): string;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** Extra environment (e.g. ALLOW_PRIVATE_URLS, or WARM_POOLS=true) on top of the test defaults. */
  readonly env?: Record<string, string>;
  /** Start without a worker (to observe queued processes). */
  readonly worker?: boolean;
  /** Use this Redis instead of starting one (the test owns it). */
  readonly redisUrl?: string;
  /** Where the server's log lines go (with LOG_LEVEL info unless env sets one). */
  readonly logTo?: DestinationStream;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'oc-test-'));
  const redis = options.redisUrl === undefined ? await startEmbeddedRedis({ dir: path.join(dataDir, 'redis'), persistent: false }) : { url: options.redisUrl, stop: async () => undefined };
  const config = loadConfig({
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    API_KEYS: `${TEST_KEY},${OTHER_KEY}`,
    REDIS_URL: redis.url,
    // Hundreds of tests start a worker: warming two LibreOffice instances and two browsers in
    // each would cost the suite minutes on a 2-core machine. Tests of the warm start turn it on.
    WARM_POOLS: 'false',
    LOG_LEVEL: options.logTo !== undefined ? 'info' : (process.env['TEST_LOG_LEVEL'] ?? 'silent'),
    ...options.env,
  });
  const log = createLogger(config.logLevel, 'test', options.logTo, config.logFormat);
  const core = createCore(config, redis.url, await configuredKeys(config), await configuredPresets(config));
  const worker = options.worker === false ? undefined : await startWorker(core, log);
  const app = await startApi(core, log);
  const port = (app.server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    port,
    config,
    core,
    dataDir,
    redisUrl: redis.url,
    app,
    abs: (url) => (url.startsWith('//') ? `http:${url}` : url),
    async stop() {
      await app.close();
      await worker?.close();
      await core.close();
      await redis.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
