// Request bodies in every encoding v1 clients use: JSON (also with a wrong content type), form
// (PHP brackets), anything else sniffed, and multipart with the file part anywhere among the
// fields. File parts are streamed to a sink, never buffered.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import qs from 'qs';
import type { Readable } from 'node:stream';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import { appError, isAppError } from '../../core/errors.js';
import { FieldMeter, type FieldBounds } from './field-meter.js';
import { assertShallow } from './shape-limits.js';

export const parseQueryString = (text: string): Record<string, unknown> =>
  qs.parse(text, { depth: 5, arrayLimit: 100, parameterLimit: 1000, allowPrototypes: false });

/** JSON when it looks like JSON, else a form body. Never throws on odd input: a clean 400. */
export function sniffBody(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed) as unknown;
    } catch {
      throw appError('INVALID_PARAMETER', 'The request body is not valid JSON. Send a JSON object, a form body or multipart/form-data.');
    }
    assertShallow(parsed, 'The JSON body');
    return parsed;
  }
  return parseQueryString(trimmed);
}

/** Body parsers for the API routes (upload URLs have their own, streaming ones). */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  const asText = { parseAs: 'string' as const };
  app.addContentTypeParser('application/json', asText, (_req, body, done) => {
    try {
      done(null, sniffBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', asText, (_req, body, done) => done(null, parseQueryString(body as string)));
  app.addContentTypeParser('*', asText, (_req, body, done) => {
    try {
      done(null, sniffBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

export type FileSink = (stream: Readable, filename: string) => Promise<unknown>;

/**
 * Reads a multipart body: text fields are collected (bracket names parsed like a query string),
 * each file part goes to `sink` as it arrives, in order. The text fields stay within `bounds`
 * while they arrive (see FieldMeter). A JSON body sent with a multipart content type but no
 * boundary (one Python client does this) is parsed as JSON instead.
 */
export async function readMultipart(request: FastifyRequest, sink: FileSink, bounds: FieldBounds): Promise<{ fields: Record<string, unknown>; sawFile: boolean }> {
  const pairs: Array<[string, string]> = [];
  let sawFile = false;
  const parts = request.parts({ limits: { fieldSize: bounds.totalBytes } });
  const meter = new FieldMeter(request.raw, bounds);
  try {
    for (;;) {
      let next: IteratorResult<Multipart>;
      try {
        next = await Promise.race([parts.next(), meter.exceeded]);
      } catch (error) {
        if (isMissingBoundary(error) && !sawFile && pairs.length === 0) {
          meter.stop(); // readText has its own bound
          return { fields: objectBody(sniffBody(await readText(request.raw, 1024 * 1024))), sawFile: false };
        }
        throw parserError(error);
      }
      if (next.done === true) break;
      const part = next.value;
      if (part.type === 'field') {
        const value = typeof part.value === 'string' ? part.value : String(part.value);
        await meter.addField(part.fieldname, value, part.valueTruncated);
        pairs.push([part.fieldname, value]);
        continue;
      }
      // Several file parts are the inputs of mode=combine / archive; the start decides whether they fit its mode.
      sawFile = true;
      meter.trackFile(part.file);
      await sinkPart(part, sink);
      if (part.file.truncated) throw appError('TOO_LARGE');
    }
  } finally {
    meter.stop();
  }
  return { fields: parseQueryString(new URLSearchParams(pairs).toString()), sawFile };
}

const objectBody = (body: unknown): Record<string, unknown> => (typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {});

const malformedBody = (cause: unknown) =>
  appError('INVALID_PARAMETER', 'The multipart/form-data body is malformed or cut short. Send a complete multipart body (the file in the field "file").', cause);

/** Errors of the multipart parser are the body's fault; the plugin's own (limits) carry a code the error handler maps. */
function parserError(error: unknown): unknown {
  return isAppError(error) || (error as { code?: unknown }).code !== undefined ? error : malformedBody(error);
}

/** Streams a file part to the sink. The part stream failing means the body is malformed; the sink's own failures stay as they are. */
async function sinkPart(part: MultipartFile, sink: FileSink): Promise<void> {
  try {
    await sink(part.file, part.filename || 'file');
  } catch (error) {
    throw error === part.file.errored && !isAppError(error) ? malformedBody(error) : error;
  }
}

function isMissingBoundary(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /boundary/i.test(message);
}

async function readText(stream: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw appError('TOO_LARGE', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
