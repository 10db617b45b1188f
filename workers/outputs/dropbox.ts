// output=dropbox: uploads into the operator's Dropbox folder through the HTTP API v2. Files up to
// 150 MB go in one files/upload call; larger ones through an upload session (start, append_v2,
// finish) in chunks read from disk. Mode "add" with autorename: an existing file is never
// overwritten, the new one gets a free name, and the status shows the name Dropbox chose.
import { appError, AppError } from '../../src/core/errors.js';
import type { DropboxConfig } from '../../src/config/storage.js';
import { targetPaths } from '../../src/core/remote/paths.js';
import { httpRequest, jsonOf, type FileRange, type HttpReply } from './http.js';
import { AccessToken } from './oauth.js';
import type { OutputDeliverer, OutputFileRef } from './types.js';

export interface DropboxOptions {
  readonly timeoutMs: number;
  /** Largest file sent in one files/upload call (Dropbox allows 150 MB). */
  readonly singleUploadLimit?: number;
  /** Bytes per upload-session request (Dropbox wants a multiple of 4 MiB). */
  readonly chunkBytes?: number;
}

/** Dropbox-API-Arg must be ASCII: everything else as \uXXXX escapes. */
export const headerJson = (value: unknown): string => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const joinPath = (folder: string, path: string): string => `${folder}/${path.replace(/^\/+/, '')}`;

class DropboxApi {
  constructor(
    private readonly config: DropboxConfig,
    private readonly token: AccessToken,
    private readonly timeoutMs: number,
    private readonly signal: AbortSignal,
  ) {}

  /** A content endpoint call: the argument in Dropbox-API-Arg, the bytes as the body. */
  async content(endpoint: string, arg: unknown, body: Buffer | FileRange): Promise<Record<string, unknown>> {
    const headers = { authorization: `Bearer ${await this.token.get(this.signal)}`, 'content-type': 'application/octet-stream', 'dropbox-api-arg': headerJson(arg) };
    return this.check(await httpRequest(`${this.config.contentUrl}/2/${endpoint}`, { method: 'POST', headers, body, signal: this.signal, timeoutMs: this.timeoutMs }), endpoint);
  }

  /** An RPC endpoint call: JSON in, JSON out. */
  async rpc(endpoint: string, arg: unknown): Promise<Record<string, unknown>> {
    const headers = { authorization: `Bearer ${await this.token.get(this.signal)}`, 'content-type': 'application/json' };
    return this.check(await httpRequest(`${this.config.apiUrl}/2/${endpoint}`, { method: 'POST', headers, body: Buffer.from(JSON.stringify(arg)), signal: this.signal, timeoutMs: this.timeoutMs }), endpoint);
  }

  private check(reply: HttpReply, endpoint: string): Record<string, unknown> {
    const body = jsonOf(reply);
    if (reply.status === 200) return body ?? {}; // append_v2 answers `null`
    if (reply.status === 401) this.token.forget();
    const summary = typeof body?.['error_summary'] === 'string' ? `: ${body['error_summary'].slice(0, 120)}` : '';
    const why =
      reply.status === 401 ? "the server's Dropbox token was refused; ask the operator to renew it"
      : reply.status === 409 && summary.includes('insufficient_space') ? "the server's Dropbox account is full"
      : reply.status === 429 ? 'Dropbox is rate-limiting this server; try again later'
      : `Dropbox answered HTTP ${reply.status} to ${endpoint}${summary}`;
    throw appError('OUTPUT_FAILED', `Could not store the output in Dropbox: ${why}.`);
  }
}

async function uploadOne(api: DropboxApi, file: OutputFileRef, path: string, options: Required<Omit<DropboxOptions, 'timeoutMs'>>, report: (bytes: number) => void): Promise<string> {
  const commit = { path, mode: 'add', autorename: true, mute: false, strict_conflict: false };
  let meta: Record<string, unknown>;
  if (file.size <= options.singleUploadLimit) {
    meta = await api.content('files/upload', commit, file.size === 0 ? Buffer.alloc(0) : { path: file.path, start: 0, end: file.size - 1 });
  } else {
    const chunk = (offset: number): Buffer | FileRange => (offset >= file.size ? Buffer.alloc(0) : { path: file.path, start: offset, end: Math.min(file.size, offset + options.chunkBytes) - 1 });
    const started = await api.content('files/upload_session/start', { close: false }, chunk(0));
    const sessionId = String(started['session_id']);
    let offset = Math.min(file.size, options.chunkBytes);
    for (; offset + options.chunkBytes < file.size; offset += options.chunkBytes) {
      report(offset);
      await api.content('files/upload_session/append_v2', { cursor: { session_id: sessionId, offset }, close: false }, chunk(offset));
    }
    meta = await api.content('files/upload_session/finish', { cursor: { session_id: sessionId, offset }, commit }, chunk(offset));
  }
  return typeof meta['path_display'] === 'string' ? meta['path_display'] : path;
}

export function dropboxOutput(config: DropboxConfig, options: DropboxOptions): OutputDeliverer<'dropbox'> {
  const token = new AccessToken(config.auth, 'Dropbox', options.timeoutMs);
  const sizes = { singleUploadLimit: options.singleUploadLimit ?? 150 * 1000 * 1000, chunkBytes: options.chunkBytes ?? 8 * 1024 * 1024 };
  return {
    async deliver(target, files, context) {
      const api = new DropboxApi(config, token, options.timeoutMs, context.signal);
      const paths = targetPaths(target.path, files.map((f) => f.name)).map((p) => joinPath(config.folder, p));
      const written: string[] = [];
      let done = 0;
      try {
        for (const [i, file] of files.entries()) {
          written.push(await uploadOne(api, file, paths[i] ?? joinPath(config.folder, file.name), sizes, (bytes) => context.progress(done + bytes)));
          done += file.size;
          context.progress(done);
        }
      } catch (error) {
        const cleanup = new DropboxApi(config, token, options.timeoutMs, AbortSignal.timeout(options.timeoutMs));
        for (const path of written) await cleanup.rpc('files/delete_v2', { path }).catch(() => undefined);
        if (error instanceof AppError || context.signal.aborted) throw error;
        throw appError('OUTPUT_FAILED', `Could not store the output in Dropbox: ${(error as Error).message.slice(0, 200)}.`);
      }
      return { type: 'dropbox', place: { folder: config.folder === '' ? '/' : config.folder }, files: written };
    },
  };
}
