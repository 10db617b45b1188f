// Request → merged parameters, whatever the encoding. Routes that accept a file pass a sink.
import type { FastifyRequest } from 'fastify';
import { appError } from '../../core/errors.js';
import { readMultipart, type FileSink } from './body.js';
import type { FieldBounds } from './field-meter.js';
import { mergeParams, type Params } from './normalize.js';

const noFile: FileSink = async (stream) => {
  stream.resume();
  throw appError('INVALID_PARAMETER', 'This request takes no file. Upload the file when starting the process (POST <process url>) or to upload.url.');
};

/** `bounds`: what the text fields of a multipart body may hold (JSON and form bodies have Fastify's bodyLimit). */
export async function readParams(request: FastifyRequest, bounds: FieldBounds, sink: FileSink = noFile): Promise<Params> {
  if (request.isMultipart()) {
    const { fields } = await readMultipart(request, sink, bounds);
    return mergeParams(request.query, fields);
  }
  return mergeParams(request.query, request.body);
}

/** A bare `?wait` or `?inline` (no value) means true; qs parses it as "". */
export function bareFlag(query: unknown, name: string): boolean | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  return value === '' ? true : undefined;
}
