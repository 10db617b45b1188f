// output=googledrive: uploads into the operator's Google Drive (API v3) with a resumable upload
// per file: a POST with the metadata opens the session (its URL comes back in Location), one
// PUT streams the bytes from disk. A failure deletes the files this delivery already created.
import type { GoogleDriveConfig } from '../../src/config/storage.js';
import { mimeForFilename } from '../../src/core/catalog/index.js';
import { appError, AppError } from '../../src/core/errors.js';
import { httpRequest, jsonOf, type HttpReply } from './http.js';
import { AccessToken } from './oauth.js';
import type { OutputDeliverer, OutputFileRef } from './types.js';

function refused(reply: HttpReply, what: string, token: AccessToken): AppError {
  if (reply.status === 401) token.forget();
  const error = jsonOf(reply)?.['error'] as { message?: unknown } | undefined;
  const detail = typeof error?.message === 'string' ? `: ${error.message.slice(0, 160)}` : '';
  const why =
    reply.status === 401 ? "the server's Google Drive token was refused; ask the operator to renew it"
    : reply.status === 403 && /quota|storage/i.test(detail) ? "the server's Google Drive is full or over its quota"
    : `Google Drive answered HTTP ${reply.status} to ${what}${detail}`;
  return appError('OUTPUT_FAILED', `Could not store the output in Google Drive: ${why}.`);
}

async function uploadOne(config: GoogleDriveConfig, token: AccessToken, file: OutputFileRef, signal: AbortSignal, timeoutMs: number): Promise<string> {
  const mime = mimeForFilename(file.name);
  const metadata = { name: file.name, ...(config.folderId === undefined ? {} : { parents: [config.folderId] }) };
  const opened = await httpRequest(`${config.apiUrl}/upload/drive/v3/files?uploadType=resumable&supportsAllDrives=true`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await token.get(signal)}`,
      'content-type': 'application/json; charset=UTF-8',
      'x-upload-content-type': mime,
      'x-upload-content-length': String(file.size),
    },
    body: Buffer.from(JSON.stringify(metadata)),
    signal,
    timeoutMs,
  });
  const session = opened.headers.location;
  if (opened.status !== 200 || session === undefined) throw refused(opened, 'the start of the upload', token);
  const sent = await httpRequest(new URL(session, config.apiUrl).toString(), {
    method: 'PUT',
    headers: { 'content-type': mime },
    body: file.size === 0 ? Buffer.alloc(0) : { path: file.path, start: 0, end: file.size - 1 },
    signal,
    timeoutMs,
  });
  const id = jsonOf(sent)?.['id'];
  if ((sent.status !== 200 && sent.status !== 201) || typeof id !== 'string') throw refused(sent, 'the upload', token);
  return id;
}

export function googleDriveOutput(config: GoogleDriveConfig, options: { readonly timeoutMs: number }): OutputDeliverer<'googledrive'> {
  const token = new AccessToken(config.auth, 'Google Drive', options.timeoutMs);
  return {
    async deliver(_target, files, context) {
      const ids: string[] = [];
      let done = 0;
      try {
        for (const file of files) {
          ids.push(await uploadOne(config, token, file, context.signal, options.timeoutMs));
          done += file.size;
          context.progress(done);
        }
      } catch (error) {
        const signal = AbortSignal.timeout(options.timeoutMs);
        for (const id of ids) {
          const headers = { authorization: `Bearer ${await token.get(signal).catch(() => '')}` };
          await httpRequest(`${config.apiUrl}/drive/v3/files/${encodeURIComponent(id)}?supportsAllDrives=true`, { method: 'DELETE', headers, signal, timeoutMs: options.timeoutMs }).catch(() => undefined);
        }
        if (error instanceof AppError || context.signal.aborted) throw error;
        throw appError('OUTPUT_FAILED', `Could not store the output in Google Drive: ${(error as Error).message.slice(0, 200)}.`);
      }
      const place: Record<string, string> = config.folderId === undefined ? {} : { folder: config.folderId };
      return { type: 'googledrive', place, files: files.map((f) => f.name), ids };
    },
  };
}
