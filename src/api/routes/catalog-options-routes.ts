// GET /conversiontypes/options: a conversion's options with their types, defaults and valid
// values. A separate route so /conversiontypes keeps the shape v1 clients know.
import type { FastifyInstance } from 'fastify';
import { SUPPORTED_MODES } from '../../core/catalog/index.js';
import { describeConversion } from '../../core/catalog/option-docs.js';
import { mergeParams } from '../params/normalize.js';
import { ConversionOptionsQuery, ConversionOptionsResponse, errorResponses } from '../schemas.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function catalogOptionsRoutes(app: FastifyInstance): void {
  // No key needed, like /conversiontypes.
  app.get('/conversiontypes/options', { config: { needsRedis: false }, schema: { querystring: ConversionOptionsQuery, response: { 200: ConversionOptionsResponse, ...errorResponses } } }, async (request) => {
    const params = mergeParams(request.query, undefined);
    const doc = describeConversion({ mode: text(params['mode']), inputformat: text(params['inputformat']), outputformat: text(params['outputformat']) });
    return { ...doc, modes: SUPPORTED_MODES };
  });
}
