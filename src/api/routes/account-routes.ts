// Routes about the caller and the server: GET|POST /processes, GET /user, GET /conversiontypes.
import type { FastifyInstance } from 'fastify';
import { listConversionTypes, normalizeFormat, type Format } from '../../core/catalog/index.js';
import { listModeEntries } from '../../core/catalog/mode-entries.js';
import { SUPPORTED_DRIVES } from '../../core/remote/locations.js';
import { authenticate, callerFieldBounds, identifyCaller } from '../caller.js';
import type { ApiDeps } from '../context.js';
import { conversionTypeItem, listItem, modeEntryItem, userResponse } from '../mappers/status.js';
import { mergeParams } from '../params/normalize.js';
import { readParams } from '../params/read.js';
import { ApiQuery, ConversionTypesQuery, ConversionTypesResponse, ListResponse, UserResponse, errorResponses } from '../schemas.js';

export function accountRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/processes',
    schema: { querystring: ApiQuery, response: { 200: ListResponse, ...errorResponses } },
    onRequest: identifyCaller(deps),
    handler: async (request) => {
      const account = await authenticate(request, await readParams(request, callerFieldBounds(request, deps)), deps);
      const records = await deps.processes.list(account);
      return records.map((r) => listItem(r, deps.config.server.absoluteUrls));
    },
  });

  app.get('/user', { schema: { querystring: ApiQuery, response: { 200: UserResponse, ...errorResponses } } }, async (request) => {
    const account = await authenticate(request, mergeParams(request.query, undefined), deps);
    const drives = SUPPORTED_DRIVES.filter((drive) => deps.config.storage.drives[drive] !== undefined);
    return userResponse(account, await deps.usage.minutesLeft(account), drives);
  });

  // No key needed, as on CloudConvert. An unknown format gives an empty list, not an error.
  // Served from the catalog in memory, so it answers during a Redis outage too.
  app.get('/conversiontypes', { config: { needsRedis: false }, schema: { querystring: ConversionTypesQuery, response: { 200: ConversionTypesResponse, ...errorResponses } } }, async (request) => {
    const params = mergeParams(request.query, undefined);
    const filter: { inputformat?: Format; outputformat?: Format } = {};
    for (const field of ['inputformat', 'outputformat'] as const) {
      const value = params[field];
      if (typeof value !== 'string') continue;
      const format = normalizeFormat(value);
      if (format === undefined) return [];
      filter[field] = format;
    }
    return [...listConversionTypes(filter).map(conversionTypeItem), ...listModeEntries(filter).map(modeEntryItem)];
  });
}
