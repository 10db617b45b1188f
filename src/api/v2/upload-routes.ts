// The two v2 routes a client reaches by URL, without an API key: the import/upload form
// (authorised by the form's signature parameter) and the export/url downloads (the URL's token).
import type { FastifyInstance } from 'fastify';
import { mimeForFilename } from '../../core/catalog/index.js';
import { cleanFilename } from '../../core/filenames.js';
import type { ApiDeps } from '../context.js';
import { fileHeaders } from '../file-headers.js';
import { readUpload } from './multipart-upload.js';

/** Text fields an upload form may carry (the form's parameters plus a few a browser adds). */
const UPLOAD_LIMITS = { maxFields: 50, maxFieldBytes: 64 * 1024 };

export function uploadRoutes(app: FastifyInstance, deps: ApiDeps): void {
  // The body is read by readUpload (it keeps the Node SDK's unquoted file names), not by a parser.
  app.addContentTypeParser('multipart/form-data', (_request, payload, done) => done(null, payload));

  app.post<{ Params: { id: string } }>('/upload/:id', async (request, reply) => {
    const task = await readUpload(request.raw, request.headers['content-type'], UPLOAD_LIMITS, (file, filename, fields) => deps.v2.upload(request.params.id, fields.signature, file, cleanFilename(filename, 'file')));
    const redirect = typeof task.payload.redirect === 'string' && task.payload.redirect !== '' ? task.payload.redirect : undefined;
    if (redirect !== undefined) return reply.status(303).header('Location', redirect).send();
    // Real storage answered 201 with a small XML body; the SDKs read only the status.
    return reply.status(201).type('text/plain; charset=utf-8').send('File uploaded.');
  });

  app.get<{ Params: { id: string; token: string; filename: string } }>('/files/:id/:token/:filename', async (request, reply) => {
    const file = await deps.v2.exportedFile(request.params.id, request.params.token, request.params.filename);
    const stream = await deps.v2.fileStream(file.key);
    return fileHeaders(reply.status(200), { filename: file.filename, mime: mimeForFilename(file.filename), inline: file.inline }).header('Content-Length', String(file.size)).send(stream);
  });
}
