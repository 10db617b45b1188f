// Entry of `npm start`: API and worker in one process, with an embedded redis-server when
// REDIS_URL is not set and a generated API key when API_KEYS is not set.
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { configuredPresets, createCore, createLogger, ensureApiKeys, onShutdown, startApi, startEmbeddedRedis } from '../src/runtime/index.js';
import { startWorker } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'openconvert');
  const redis = config.redisUrl === undefined ? await startEmbeddedRedis({ dir: path.join(config.dataDir, 'redis'), persistent: true }) : undefined;
  const { keys, generated } = await ensureApiKeys(config);
  const core = createCore(config, config.redisUrl ?? redis?.url ?? '', keys, await configuredPresets(config));
  const worker = await startWorker(core, log);
  const app = await startApi(core, log);
  if (generated !== undefined) {
    console.log(`\nAPI key (stored in ${path.join(config.dataDir, 'api-key')}): ${generated}\n`);
  }
  onShutdown([() => app.close(), () => worker.close(), () => core.close(), async () => redis?.stop()], log);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
