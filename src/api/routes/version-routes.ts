// GET /version: what runs here (package name and version, Node version, source commit when the
// build set BUILD_COMMIT). Open like /healthz: it reveals no setting, key or process.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { BuildInfo } from '../../core/build-info.js';

const VersionBody = Type.Object({
  name: Type.String(),
  version: Type.String(),
  node: Type.String({ description: 'The Node.js version, e.g. v20.20.0' }),
  commit: Type.Optional(Type.String({ description: 'The source commit (BUILD_COMMIT); absent when the build did not set it' })),
});

export function versionRoutes(app: FastifyInstance, build: BuildInfo): void {
  app.get('/version', { schema: { summary: 'The version of this server', tags: ['operations'], response: { 200: VersionBody } } }, async () => build);
}
