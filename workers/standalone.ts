// Entry of `npm start`: API and worker in one process, with an embedded redis-server when
// REDIS_URL is not set and a generated API key when API_KEYS is not set.
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { configuredPresets, createCore, createLogger, ensureApiKeys, generatedKeyNotice, onShutdown, startEmbeddedRedis, startTracing, type EmbeddedRedis } from '../src/runtime/index.js';
import { startApi } from '../src/runtime/api.js';
import { startWorker } from './runtime.js';

/** A closer that needs Redis: with the embedded Redis gone it cannot finish, so it is not waited for. */
const whileRedisLives = (redis: EmbeddedRedis | undefined, close: () => Promise<unknown>) => (): Promise<unknown> =>
  redis === undefined ? close() : Promise.race([close(), redis.exited]);

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'openconvert', undefined, config.logFormat);
  const tracing = startTracing(config, 'all', log);
  const redis = config.redisUrl === undefined ? await startEmbeddedRedis({ dir: path.join(config.dataDir, 'redis'), persistent: true }) : undefined;
  let stopping = false;
  void redis?.exited.then(() => {
    if (!stopping) log.error({ pid: redis.pid }, 'the embedded redis-server has exited; requests and conversions fail until the server is restarted');
  });
  const { keys, generated } = await ensureApiKeys(config);
  const core = createCore(config, config.redisUrl ?? redis?.url ?? '', keys, await configuredPresets(config));
  const worker = await startWorker(core, log);
  const app = await startApi(core, log);
  if (generated !== undefined) console.log(generatedKeyNotice(config, generated));
  // The embedded Redis goes last, stopped by this process once everything else has let go of it.
  // Requests in flight (a ?wait) and the worker need Redis to finish: without it they are not waited for.
  const stopRedis = async (): Promise<void> => {
    stopping = true;
    await redis?.stop();
  };
  const closers = [whileRedisLives(redis, () => app.close()), whileRedisLives(redis, () => worker.close()), whileRedisLives(redis, () => core.close()), stopRedis, () => tracing.close()];
  onShutdown(closers, log, { deadlineMs: config.worker.shutdownTimeoutMs });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
