/** Import direction of ../shared/STYLE.md, checked by `npm test`. */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'src-never-imports-workers', severity: 'error', from: { path: '^src/' }, to: { path: '^workers/' } },
    { name: 'only-the-api-imports-fastify', severity: 'error', from: { path: '^(src|workers)/', pathNot: '^src/(api/|app\\.ts$|runtime/api\\.ts$)' }, to: { path: 'node_modules/(fastify|@fastify)/' } },
    { name: 'converters-import-no-other-converter', severity: 'error', from: { path: '^workers/converters/([^/]+)/' }, to: { path: '^workers/converters/([^/]+)/', pathNot: '^workers/converters/$1/' } },
    {
      name: 'converters-know-no-infrastructure',
      comment: 'A converter sees paths, formats, options and a context: no storage, queue, Redis, HTTP or config.',
      severity: 'error',
      from: { path: '^workers/converters/' },
      to: { path: ['^src/(core/storage|core/queue|core/process|config|api|services|runtime)/', 'node_modules/(bullmq|ioredis|fastify|@fastify)/'] },
    },
    {
      name: 'worker-entry-loads-no-http-api',
      comment:
        'A worker-only process (workers/main.ts) loads no Fastify and no API code, directly or through any chain of imports: ' +
        'the API part of the runtime is src/runtime/api.ts. Its METRICS_PORT endpoint (workers/metrics-server.ts) is plain node:http.',
      severity: 'error',
      from: { path: '^workers/main\\.ts$' },
      to: { path: ['node_modules/(fastify|@fastify)/', '^src/api/', '^src/app\\.ts$', '^src/runtime/api\\.ts$'], reachable: true },
    },
    { name: 'core-knows-no-services-or-api', severity: 'error', from: { path: '^src/core/' }, to: { path: '^src/(api|services|runtime)/' } },
    {
      name: 'wire-dialects-apart',
      comment: 'API v1 (routes, mappers, params) and API v2 (src/api/v2) are two dialects over one core: neither imports the other; what both need lives in src/api/ itself or below it in src/core.',
      severity: 'error',
      from: { path: '^src/api/v2/' },
      to: { path: '^src/api/(routes|mappers|params|console|admin)/' },
    },
    { name: 'wire-dialects-apart-v1', severity: 'error', from: { path: '^src/api/(routes|mappers|params)/' }, to: { path: '^src/api/v2/' } },
    {
      name: 'v2-model-is-core',
      comment: 'The task model (src/core/v2) knows processes, the catalog and storage, never the worker, the HTTP API or the v1 wire mappers.',
      severity: 'error',
      from: { path: '^src/core/v2/' },
      to: { path: ['^src/(api|services|runtime)/', '^workers/', 'node_modules/(fastify|@fastify|bullmq)/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
