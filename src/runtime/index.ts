// Runtime wiring shared by the API and the worker entries: Redis connections, the core services,
// the embedded Redis and the generated API key. Nothing here runs at import time, and nothing
// here loads HTTP code: the API's start is ./api.ts, imported only by the entries that serve
// HTTP, so a worker-only process never loads Fastify (checked by .dependency-cruiser.cjs).
export { createCore, type Core } from './core.js';
export { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
export { configuredKeys, ensureApiKeys, generatedKeyNotice } from './api-keys.js';
export { configuredPresets } from './presets-file.js';
export { createLogger } from './logger.js';
export { onShutdown } from './shutdown.js';
export { startTracing, type Tracing } from './tracing.js';
export { secretsKeyNotice } from './secrets-key.js';
