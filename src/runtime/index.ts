// Runtime wiring shared by the entry files: Redis connections, the core services, the embedded
// Redis and the generated API key. Nothing here runs at import time.
export { createCore, type Core } from './core.js';
export { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
export { configuredKeys, ensureApiKeys } from './api-keys.js';
export { configuredPresets } from './presets-file.js';
export { createLogger } from './logger.js';
export { startApi } from './api.js';
export { onShutdown } from './shutdown.js';
