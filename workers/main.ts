// Entry: a conversion worker only (for scaled deployments). Needs REDIS_URL and API_KEYS (for
// the per-key limits).
import { ConfigError, loadConfig } from '../src/config/index.js';
import { configuredKeys, configuredPresets, createCore, createLogger, onShutdown, secretsKeyNotice } from '../src/runtime/index.js';
import { startMetricsServer } from './metrics-server.js';
import { startWorker } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.redisUrl === undefined) throw new ConfigError('REDIS_URL', 'is required for the worker-only entry (npm start runs an embedded Redis instead)');
  const log = createLogger(config.logLevel, 'worker');
  const core = createCore(config, config.redisUrl, await configuredKeys(config), await configuredPresets(config));
  const keyNotice = secretsKeyNotice(core.secretsKeyring);
  if (keyNotice !== undefined) log.info(keyNotice);
  const worker = await startWorker(core, log);
  // Only a worker-only process needs its own endpoint: with the API, /metrics serves the same registry.
  const metrics = config.worker.metricsPort > 0 ? await startMetricsServer(core.metrics, config.server.host, config.worker.metricsPort, config.metricsKey) : undefined;
  log.info({ concurrency: config.worker.concurrency, metricsPort: metrics?.port }, 'worker ready');
  onShutdown([() => worker.close(), async () => metrics?.close(), () => core.close()], log);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
