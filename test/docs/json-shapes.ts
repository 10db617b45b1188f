// The JSON examples that show a request or an answer, and how each is held against the real
// server: a request is sent and must work, an answer is compared with the one the server gives.
// JSON that matches none of these only has to parse.
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseKeysFile } from '../../src/core/accounts.js';
import { multiPageTiff } from '../helpers/fixtures.js';
import { startFtpServer } from '../helpers/ftp-server.js';
import { S3_KEY_ID, startS3Server } from '../helpers/s3-server.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { convertRemote, S3_SECRET, storageOf } from '../helpers/storage-process.js';

/** The queue dashboard's key on the test server, so the /admin example can be held against it. */
export const ADMIN_KEY = 'docs-admin-key-0123456789';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Only the values of the fields the example names are swapped, so a misnamed field still fails. */
function swapped(shown: Json, values: Json): Json {
  return Object.fromEntries(Object.entries(shown).map(([field, value]) => [field, field in values ? values[field] : value]));
}

async function startFromS3ToFtp(value: unknown, server: TestServer): Promise<void> {
  const start = value as Json & { input: { s3: Json }; output: { ftp: Json }; file: string; outputformat: string };
  const bucket = String(start.input.s3['bucket']);
  const [s3, ftp] = await Promise.all([startS3Server([bucket]), startFtpServer()]);
  try {
    await s3.putObject(bucket, start.file, await multiPageTiff(1));
    const input = { s3: { ...swapped(start.input.s3, { accesskeyid: S3_KEY_ID, secretaccesskey: S3_SECRET }), endpoint: s3.endpoint } };
    const output = { ftp: { ...swapped(start.output.ftp, { host: ftp.host, user: ftp.user, password: ftp.password }), port: ftp.port } };
    const final = await convertRemote(server, { inputformat: path.extname(start.file).slice(1), outputformat: start.outputformat }, { ...start, input, output });
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.equal(storageOf(final).type, 'ftp');
    const written = path.join(String(start.output.ftp['path'] ?? ''), `${path.basename(start.file, path.extname(start.file))}.${start.outputformat}`);
    assert.ok((await ftp.files()).includes(written), `${written} is on the FTP server`);
  } finally {
    await Promise.all([s3.stop(), ftp.stop()]);
  }
}

/** How a JSON block that shows a request or an answer is held against the real thing; other JSON only parses. */
interface JsonShape {
  readonly what: string;
  readonly matches: (value: unknown) => boolean;
  readonly check: (value: unknown, server: TestServer) => Promise<void>;
}

async function api(server: TestServer, method: string, route: string, body?: unknown, key = TEST_KEY): Promise<{ status: number; body: Json }> {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } };
  const response = await fetch(`${server.baseUrl}${route}`, body === undefined ? init : { ...init, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Json };
}

export const JSON_SHAPES: readonly JsonShape[] = [
  {
    what: 'an API v2 job: it is accepted and finishes',
    matches: (value) => isObject(value) && isObject(value['tasks']),
    async check(job, server) {
      const created = await api(server, 'POST', '/v2/jobs', job);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = (created.body['data'] as Json)['id'] as string;
      const ended = await api(server, 'GET', `/sync/v2/jobs/${id}`);
      assert.equal((ended.body['data'] as Json)['status'], 'finished', JSON.stringify(ended.body));
    },
  },
  {
    what: "an API v2 error: the server's answer to that bad field has the same fields and words",
    matches: (value) => isObject(value) && value['code'] === 'INVALID_DATA',
    async check(shown, server) {
      const answer = await api(server, 'POST', '/v2/jobs', { tasks: { 'import-it': { operation: 'import/url', url: 'https://example.com/a.svg' }, 'convert-it': { operation: 'convert', input: 'import-it', output_format: 'xyz' } } });
      assert.equal(answer.status, 422);
      assert.deepEqual(Object.keys(answer.body).sort(), Object.keys(shown as Json).sort());
      assert.deepEqual(answer.body['errors'], (shown as Json)['errors']);
      assert.equal(answer.body['message'], (shown as Json)['message']);
    },
  },
  {
    what: 'a v1 start from S3 to FTP: it runs against local S3 and FTP servers, with only the credentials and places swapped',
    matches: (value) => isObject(value) && isObject(value['input']) && isObject(value['input']['s3']) && isObject(value['output']) && isObject(value['output']['ftp']),
    check: startFromS3ToFtp,
  },
  {
    what: 'a KEYS_FILE: the loader takes it',
    matches: (value) => Array.isArray(value) && value.every((entry) => isObject(entry) && 'key' in entry),
    async check(entries, server) {
      assert.equal(parseKeysFile(entries, server.config.account).length, (entries as unknown[]).length);
    },
  },
  {
    what: '/admin/pending: the answer has the same fields',
    matches: (value) => isObject(value) && 'pending' in value && Array.isArray(value['keys']),
    async check(shown, server) {
      const answer = await api(server, 'GET', '/admin/pending', undefined, ADMIN_KEY);
      assert.deepEqual(Object.keys(answer.body).sort(), Object.keys(shown as Json).sort());
    },
  },
];
