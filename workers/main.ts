// Entry: a conversion worker only (for scaled deployments). Needs REDIS_URL, and the API's keys
// for the per-key limits: API_KEYS / KEYS_FILE, else the generated key in a DATA_DIR it shares
// with the API (compose), created here if the worker starts first.
import { ConfigError, loadConfig } from '../src/config/index.js';
import { configuredPresets, createCore, createLogger, ensureApiKeys, onShutdown, secretsKeyNotice, startTracing } from '../src/runtime/index.js';
import { startMetricsServer } from './metrics-server.js';
import { startWorker } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.redisUrl === undefined) throw new ConfigError('REDIS_URL', 'is required for the worker-only entry (npm start runs an embedded Redis instead)');
  const log = createLogger(config.logLevel, 'worker', undefined, config.logFormat);
  const tracing = startTracing(config, 'worker', log);
  const { keys } = await ensureApiKeys(config);
  const core = createCore(config, config.redisUrl, keys, await configuredPresets(config));
  const keyNotice = secretsKeyNotice(core.secretsKeyring);
  if (keyNotice !== undefined) log.info(keyNotice);
  const worker = await startWorker(core, log);
  // Only a worker-only process needs its own endpoint: with the API, /metrics serves the same registry.
  const metrics = config.worker.metricsPort > 0 ? await startMetricsServer(core.metrics, config.server.host, config.worker.metricsPort, config.metricsKey) : undefined;
  log.info({ concurrency: { light: config.worker.lightConcurrency, heavy: config.worker.concurrency }, metricsPort: metrics?.port }, 'worker ready');
  onShutdown([() => worker.close(), async () => metrics?.close(), () => core.close(), () => tracing.close()], log, { deadlineMs: config.worker.shutdownTimeoutMs });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
