// Entry: the HTTP API only (scaled deployments run workers separately with workers/main.ts).
// Needs REDIS_URL and API_KEYS.
import { ConfigError, loadConfig } from './config/index.js';
import { configuredKeys, configuredPresets, createCore, createLogger, onShutdown, secretsKeyNotice } from './runtime/index.js';
import { startApi } from './runtime/api.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.redisUrl === undefined) throw new ConfigError('REDIS_URL', 'is required for the API-only entry (npm start runs an embedded Redis instead)');
  const keys = await configuredKeys(config);
  if (keys.length === 0) throw new ConfigError('API_KEYS', '(or KEYS_FILE) is required for the API-only entry');
  const log = createLogger(config.logLevel, 'api');
  const core = createCore(config, config.redisUrl, keys, await configuredPresets(config));
  const keyNotice = secretsKeyNotice(core.secretsKeyring);
  if (keyNotice !== undefined) log.info(keyNotice);
  const app = await startApi(core, log);
  onShutdown([() => app.close(), () => core.close()], log);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
