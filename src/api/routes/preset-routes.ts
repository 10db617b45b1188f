// Presets of the caller's key: POST /presets, GET /presets, GET|DELETE /presets/<id>.
import type { FastifyInstance } from 'fastify';
import { appError } from '../../core/errors.js';
import { parsePreset } from '../../core/presets.js';
import { authenticate, callerFieldBounds, identifyCaller } from '../caller.js';
import type { ApiDeps } from '../context.js';
import { mergeParams } from '../params/normalize.js';
import { readParams } from '../params/read.js';
import { ApiQuery, MessageBody, PresetListResponse, PresetParams, PresetResponse, errorResponses } from '../schemas.js';

export function presetRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post('/presets', { schema: { querystring: ApiQuery, response: { 200: PresetResponse, ...errorResponses } }, onRequest: identifyCaller(deps) }, async (request) => {
    const params = await readParams(request, callerFieldBounds(request, deps));
    const account = await authenticate(request, params, deps);
    return deps.presets.create(account.id, parsePreset(params));
  });

  app.get('/presets', { schema: { querystring: ApiQuery, response: { 200: PresetListResponse, ...errorResponses } } }, async (request) => {
    const account = await authenticate(request, mergeParams(request.query, undefined), deps);
    return deps.presets.list(account.id);
  });

  app.get<{ Params: { id: string } }>('/presets/:id', { schema: { params: PresetParams, querystring: ApiQuery, response: { 200: PresetResponse, ...errorResponses } } }, async (request) => {
    const account = await authenticate(request, mergeParams(request.query, undefined), deps);
    const preset = await deps.presets.find(account.id, request.params.id);
    if (preset === undefined) throw appError('FILE_NOT_FOUND', `Unknown preset "${request.params.id}". GET /presets lists the presets of your API key.`);
    return preset;
  });

  app.delete<{ Params: { id: string } }>('/presets/:id', { schema: { params: PresetParams, querystring: ApiQuery, response: { 200: MessageBody, ...errorResponses } } }, async (request) => {
    const account = await authenticate(request, mergeParams(request.query, undefined), deps);
    if ((await deps.presets.find(account.id, request.params.id)) === undefined) throw appError('FILE_NOT_FOUND', `Unknown preset "${request.params.id}".`);
    await deps.presets.delete(account.id, request.params.id);
    return { message: 'Preset was deleted' };
  });
}
