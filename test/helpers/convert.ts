// One conversion through the wire API: create, start with an upload, PUT the file, wait, and
// download every output to a folder. Returns the final status.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { auth, json, postJson, type JsonResponse } from './http.js';
import type { TestServer } from './server.js';

export interface Converted {
  readonly status: JsonResponse;
  /** Local paths of the downloaded outputs (empty when the process failed or had none). */
  readonly files: string[];
}

export async function startUpload(server: TestServer, file: string, params: Record<string, unknown>): Promise<{ url: string; uploadUrl: string }> {
  const created = await postJson(`${server.baseUrl}/process`, { inputformat: params['inputformat'], outputformat: params['outputformat'], mode: params['mode'] }, auth());
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const url = server.abs(String(created.body['url']));
  const started = await postJson(url, { input: 'upload', ...params });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const uploadUrl = server.abs(String((started.body['upload'] as Record<string, unknown>)['url']));
  return { url, uploadUrl: `${uploadUrl}/${encodeURIComponent(path.basename(file))}` };
}

export async function convertFile(server: TestServer, file: string, params: Record<string, unknown>, downloadTo: string): Promise<Converted> {
  const { url, uploadUrl } = await startUpload(server, file, params);
  const put = await json(uploadUrl, { method: 'PUT', body: await readFile(file) });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const status = await json(`${url}?wait=true`);
  if (status.body['step'] !== 'finished') return { status, files: [] };
  const output = status.body['output'] as { url?: string; filename?: string; files?: string[] };
  if (output.url === undefined) return { status, files: [] };
  const names = output.files ?? [output.filename ?? 'output'];
  const files: string[] = [];
  for (const name of names) {
    const target = output.files === undefined ? server.abs(output.url) : `${server.abs(output.url)}/${encodeURIComponent(name)}`;
    const response = await fetch(target);
    assert.equal(response.status, 200, `download of ${name}`);
    const local = path.join(downloadTo, name);
    await writeFile(local, Buffer.from(await response.arrayBuffer()));
    files.push(local);
  }
  return { status, files };
}
