// Conversions with S3/FTP inputs and outputs through the wire API, and the objects of the API
// document's S3 and FTP sections for the local test servers.
import assert from 'node:assert/strict';
import { auth, json, postJson, type JsonResponse } from './http.js';
import { S3_KEY_ID, type S3TestServer } from './s3-server.js';
import type { FtpTestServer } from './ftp-server.js';
import type { TestServer } from './server.js';

/** The secret key the tests send; s3rver accepts any, so tests check it never comes back. */
export const S3_SECRET = 'S3-SECRET-never-shown-4242';

/** An `s3` object of the API document for the test server's bucket. */
export const s3Object = (s3: S3TestServer, bucket: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  accesskeyid: S3_KEY_ID,
  secretaccesskey: S3_SECRET,
  bucket,
  endpoint: s3.endpoint,
  ...extra,
});

/** An `ftp` object of the API document for the test FTP server. */
export const ftpObject = (ftp: FtpTestServer, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  host: ftp.host,
  port: ftp.port,
  user: ftp.user,
  password: ftp.password,
  ...extra,
});

/** Creates a process and starts it with `params`; returns the start's reply and the process URL. */
export async function startProcess(server: TestServer, formats: { inputformat: string; outputformat: string }, params: Record<string, unknown>): Promise<{ url: string; started: JsonResponse }> {
  const created = await postJson(`${server.baseUrl}/process`, formats, auth());
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const url = server.abs(String(created.body['url']));
  const started = await postJson(url, { outputformat: formats.outputformat, ...params });
  return { url, started };
}

/** Starts with `params` and waits for the end; returns the final status reply. */
export async function convertRemote(server: TestServer, formats: { inputformat: string; outputformat: string }, params: Record<string, unknown>): Promise<JsonResponse & { url: string }> {
  const { url, started } = await startProcess(server, formats, params);
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const final = await json(`${url}?wait=true`);
  return { ...final, url };
}

export type Storage = { type: string; files: string[]; [place: string]: unknown };
export const storageOf = (status: JsonResponse): Storage => (status.body['output'] as { storage: Storage }).storage;
