// Upload URLs (PUT <upload.url>/<filename>, POST multipart) and download URLs
// (GET <output.url>[/<file>][?inline]). Uploads stream straight into the file store, so this
// context has its own body parsers that leave the request stream untouched.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fileHeaders } from '../file-headers.js';
import { appError } from '../../core/errors.js';
import { TEXT_BEFORE_KEY_BYTES } from '../caller.js';
import { clientGone, type ApiDeps } from '../context.js';
import { requestTrace } from '../observability/request-tracing.js';
import { flag, mergeParams } from '../params/normalize.js';
import { bareFlag } from '../params/read.js';
import { readMultipart } from '../params/body.js';
import { sendStatus } from '../respond.js';
import { TokenFileParams, TokenParams, UploadResponse, errorResponses, processErrorResponses } from '../schemas.js';

const token = (raw: string): string => raw.replace(/^~/, '');

export async function transferRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  await app.register(multipart, { limits: { files: 1, fields: 100, fieldSize: 1024 * 1024, fileSize: Number.MAX_SAFE_INTEGER } });

  const uploadSchema = { params: TokenFileParams, response: { 200: UploadResponse, ...errorResponses } };
  app.put<{ Params: { token: string; file: string } }>('/upload/:token/:file', { schema: uploadSchema }, async (request) => {
    const length = Number(request.headers['content-length'] ?? NaN);
    const limit = await deps.transfers.maxUploadBytesFor(token(request.params.token));
    if (limit !== undefined && length > limit) throw appError('TOO_LARGE', `The file (${length} bytes) is larger than the limit of ${limit} bytes.`);
    const saved = await deps.transfers.receiveUpload(token(request.params.token), request.params.file, request.raw, requestTrace(request));
    return { ...saved, message: 'File saved.' };
  });

  app.put('/upload/:token', { schema: { params: TokenParams, response: errorResponses } }, async () => {
    throw appError('MISSING_PARAMETER', 'Append the file name to the upload URL: PUT <upload.url>/<filename.ext>.');
  });

  app.post<{ Params: { token: string } }>('/upload/:token', { schema: { params: TokenParams, response: { 200: UploadResponse, ...errorResponses } } }, async (request) => {
    if (!request.isMultipart()) throw appError('INVALID_PARAMETER', 'POST to an upload URL must be multipart/form-data with the file in the field "file"; or PUT <upload.url>/<filename> with the raw file.');
    let saved: { file: string; size: number } | undefined;
    // Text fields mean nothing here: they get the small budget of a request nobody is known for.
    await readMultipart(request, async (stream, filename) => {
      saved = await deps.transfers.receiveUpload(token(request.params.token), filename, stream, requestTrace(request));
    }, { totalBytes: TEXT_BEFORE_KEY_BYTES });
    if (saved === undefined) throw appError('MISSING_PARAMETER', 'The multipart body has no file part. Send the file in the field "file".');
    return { ...saved, message: 'File saved.' };
  });

  const downloadSchema = { params: TokenParams, response: processErrorResponses };
  const download = async (request: FastifyRequest<{ Params: { token: string; file?: string } }>, reply: FastifyReply) => {
    const inline = bareFlag(request.query, 'inline') ?? flag(mergeParams(request.query, undefined), 'inline');
    const result = await deps.transfers.download(token(request.params.token), request.params.file, clientGone(reply), { inline });
    if (result.kind === 'failed') return sendStatus(reply, deps, result.record);
    if (result.kind === 'redirect') {
      await result.settle(request.method !== 'HEAD');
      return reply.redirect(result.url, 302);
    }
    fileHeaders(reply, { filename: result.filename, mime: result.mime, inline });
    if (result.size !== undefined) reply.header('Content-Length', String(result.size));
    // A HEAD (link checkers, `curl -I`) does not use up the one download a process without `save` allows.
    const settle = () => result.settle(request.method !== 'HEAD' && reply.raw.writableFinished);
    reply.raw.once('close', () => void settle().catch((error: unknown) => request.log.error({ err: error }, 'download bookkeeping failed')));
    return reply.send(result.stream);
  };
  app.get<{ Params: { token: string } }>('/download/:token', { schema: downloadSchema }, download);
  app.get<{ Params: { token: string; file: string } }>('/download/:token/:file', { schema: { ...downloadSchema, params: TokenFileParams } }, download);
}
