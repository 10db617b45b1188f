// Entry: the HTTP API only (scaled deployments run workers separately with workers/main.ts).
// Needs REDIS_URL. Without API_KEYS or KEYS_FILE it uses the key in DATA_DIR/api-key (generated
// by whichever process sharing DATA_DIR starts first) and prints it, as `npm start` does.
import { ConfigError, loadConfig } from './config/index.js';
import { configuredPresets, createCore, createLogger, ensureApiKeys, generatedKeyNotice, onShutdown, secretsKeyNotice, startTracing } from './runtime/index.js';
import { startApi } from './runtime/api.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.redisUrl === undefined) throw new ConfigError('REDIS_URL', 'is required for the API-only entry (npm start runs an embedded Redis instead)');
  const { keys, generated } = await ensureApiKeys(config);
  const log = createLogger(config.logLevel, 'api', undefined, config.logFormat);
  const tracing = startTracing(config, 'api', log);
  const core = createCore(config, config.redisUrl, keys, await configuredPresets(config));
  const keyNotice = secretsKeyNotice(core.secretsKeyring);
  if (keyNotice !== undefined) log.info(keyNotice);
  const app = await startApi(core, log);
  if (generated !== undefined) console.log(generatedKeyNotice(config, generated));
  onShutdown([() => app.close(), () => core.close(), () => tracing.close()], log, { deadlineMs: config.worker.shutdownTimeoutMs });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
