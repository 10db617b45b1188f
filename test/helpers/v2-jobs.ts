// API v2 jobs as the integration tests drive them: create a job (201) and wait for it on the
// blocking route, and read tasks and their files out of the answer.
import assert from 'node:assert/strict';
import { auth, json, postJson } from './http.js';
import type { TestServer } from './server.js';

export type Obj = Record<string, unknown>;

/** The `data` of a v2 answer. */
export const data = (body: Obj): Obj => body['data'] as Obj;
/** The task of `job` named `name` (an empty object when there is none). */
export const byName = (job: Obj, name: string): Obj => (job['tasks'] as Obj[]).find((t) => t['name'] === name) ?? {};
/** A task's result files. */
export const filesOf = (task: Obj): Obj[] => ((task['result'] as Obj | null)?.['files'] ?? []) as Obj[];
/** An import/base64 task carrying `bytes`. */
export const base64Import = (bytes: Buffer, filename: string): Obj => ({ operation: 'import/base64', file: bytes.toString('base64'), filename });

/** The bytes of the first file an export/url task of `job` exported. */
export async function exportedBytes(job: Obj, name: string): Promise<Buffer> {
  const file = filesOf(byName(job, name))[0];
  assert.ok(file !== undefined, `task ${name} exported no file: ${JSON.stringify(job)}`);
  return Buffer.from(await (await fetch(String(file['url']))).arrayBuffer());
}

/**
 * Creates the job, expects 201, and answers the job once it has ended. `secrets` must appear in
 * neither answer (the waited one with its tasks' payloads).
 */
export async function runJob(server: TestServer, tasks: Obj, secrets: readonly string[] = []): Promise<Obj> {
  const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks }, auth());
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const waited = await json(`${server.baseUrl}/sync/v2/jobs/${String(data(created.body)['id'])}?include=payload`, { headers: auth() });
  for (const secret of secrets) assert.equal(JSON.stringify([created.body, waited.body]).includes(secret), false, 'no secret in any answer');
  return data(waited.body);
}
