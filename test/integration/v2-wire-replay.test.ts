// API v2 as the strict clients (Java, .NET, PHP, Python, Ruby) put it on the wire, replayed with
// node:http so the Host header, the query bytes, Content-Type and Content-Length are exactly
// theirs (wire spec sections 2.3, 2.4, 7): the server runs for real (Redis, worker, sharp).
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { pngOf } from '../helpers/fixtures.js';
import { OTHER_KEY, startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

type Obj = Record<string, any>;

interface Raw {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The body as JSON (throws when it is not). */
  json(): Obj;
}

interface RawOptions {
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly key?: string | null;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/;

describe('API v2 wire replays of the strict clients', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  /** One request, headers as given (plus Host and the key), the answer read to the end. */
  function raw(method: string, path: string, options: RawOptions = {}): Promise<Raw> {
    const key = options.key === undefined ? TEST_KEY : options.key;
    const headers = { host: `127.0.0.1:${server.port}`, ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...options.headers };
    return new Promise((resolve, reject) => {
      // No agent: each request on its own connection, as the replayed clients' first request is.
      const request = http.request({ host: '127.0.0.1', port: server.port, method, path, headers, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: () => JSON.parse(text) as Obj });
        });
      });
      request.on('error', reject);
      request.end(options.body);
    });
  }
  const postJson = (path: string, body: unknown, key?: string): Promise<Raw> => raw('POST', path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(key === undefined ? {} : { key }) });
  const data = (reply: Raw): Obj => reply.json()['data'] as Obj;
  const byName = (job: Obj, name: string): Obj => (job['tasks'] as Obj[]).find((t) => t['name'] === name) ?? {};

  /** The upload form as Python's requests posts it: parameters first, the file last, no key. */
  function upload(form: Obj, filename: string, bytes: Buffer, parameters: Record<string, string> = form['parameters'] as Record<string, string>): Promise<Raw> {
    const boundary = 'b2f0c8a1e6d94f3a';
    const parts = Object.entries(parameters).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    const body = Buffer.concat([Buffer.from(`${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n`), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    return raw('POST', new URL(String(form['url'])).pathname, { key: null, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) }, body });
  }

  /** What the Java SDK does to a single-object body: drop `{"data":` and the last byte, parse the rest. */
  function javaData(reply: Raw): Obj {
    assert.ok(reply.text.startsWith('{"data":{'), reply.text.slice(0, 40));
    return JSON.parse(reply.text.substring(8, reply.text.length - 1)) as Obj;
  }

  it('starts every single-object body with exactly {"data": and ends it with its closing brace', async () => {
    const created = await postJson('/v2/jobs', { tasks: { up: { operation: 'import/upload' } } });
    assert.equal(created.status, 201);
    const job = javaData(created);
    const taskId = String(byName(job, 'up')['id']);
    assert.equal(javaData(await raw('GET', `/v2/tasks/${taskId}`))['id'], taskId);
    assert.ok(Number.isInteger(javaData(await raw('GET', '/v2/users/me'))['id']));
    // Node SDK 3 posts cancel with no body and no Content-Type; Python posts `{}` as JSON.
    const cancelled = await raw('POST', `/v2/tasks/${taskId}/cancel`);
    assert.equal(cancelled.status, 200);
    assert.deepEqual([javaData(cancelled)['status'], javaData(cancelled)['code']], ['error', 'CANCELLED']);
    const retried = await postJson(`/v2/tasks/${taskId}/retry`, {});
    assert.equal(retried.status, 201);
    assert.equal(javaData(retried)['retry_of_task_id'], taskId);
  });

  it("takes .NET's empty query values and filter keys encoded or raw", async () => {
    const tag = `net-${Date.now()}`;
    const job = data(await postJson('/v2/jobs', { tag, tasks: { up: { operation: 'import/upload' } } }));
    for (const path of ['/v2/jobs?filter[status]=&filter[tag]=&include=&per_page=&page=', '/v2/tasks?filter[status]=&filter[job_id]=&filter[operation]=&include=&per_page=&page=']) {
      const list = await raw('GET', path);
      assert.equal(list.status, 200, list.text);
      assert.equal(list.json()['meta']['per_page'], 100);
    }
    const show = await raw('GET', `/v2/tasks/${String(byName(job, 'up')['id'])}?include=`);
    assert.equal(show.status, 200);
    assert.equal('payload' in data(show), false);
    for (const query of [`filter[tag]=${tag}&filter[status]=waiting`, `filter%5Btag%5D=${tag}&filter%5Bstatus%5D=waiting`]) {
      assert.deepEqual((await raw('GET', `/v2/jobs?${query}`)).json()['data'].map((j: Obj) => j['id']), [job['id']], query);
    }
    for (const query of [`filter[tag]=${tag}&filter[status]=finished`, `filter%5Btag%5D=${tag}&filter%5Bstatus%5D=finished`]) {
      assert.deepEqual((await raw('GET', `/v2/jobs?${query}`)).json()['data'], [], query);
    }
    const encoded = await raw('GET', `/v2/tasks?filter%5Bjob_id%5D=${String(job['id'])}`);
    assert.deepEqual(encoded.json()['data'].map((t: Obj) => t['id']), [byName(job, 'up')['id']]);
  });

  it("deletes with Python's empty JSON body, answers 204 without a Content-Type, and the record is gone", async () => {
    const task = data(await postJson('/v2/import/raw', { file: 'x', filename: 'x.txt' }));
    const pyGet = await raw('GET', `/v2/tasks/${String(task['id'])}`, { headers: { 'content-type': 'application/json' } });
    assert.equal(pyGet.status, 200, pyGet.text);
    const deleted = await raw('DELETE', `/v2/tasks/${String(task['id'])}`, { headers: { 'content-type': 'application/json', 'content-length': '0' } });
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal(deleted.headers['content-type'], undefined);
    assert.equal(deleted.text, '');
    const gone = await raw('GET', `/v2/tasks/${String(task['id'])}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json()['code'], 'NOT_FOUND');
    const job = data(await postJson('/v2/jobs', { tasks: { up: { operation: 'import/upload' } } }));
    const jobDeleted = await raw('DELETE', `/v2/jobs/${String(job['id'])}`, { headers: { 'content-type': 'application/json', 'content-length': '0' } });
    assert.deepEqual([jobDeleted.status, jobDeleted.headers['content-type'], jobDeleted.text], [204, undefined, '']);
    assert.equal((await raw('GET', `/v2/jobs/${String(job['id'])}`)).status, 404);
    assert.equal((await raw('GET', `/v2/tasks/${String(byName(job, 'up')['id'])}`)).status, 404);
  });

  it('never sends null numbers, sends form parameters as strings and times as ISO-8601 +00:00', async () => {
    const job = data(await postJson('/v2/jobs', {
      tasks: {
        up: { operation: 'import/upload' },
        conv: { operation: 'convert', input: 'up', output_format: 'jpg', width: 10 },
        out: { operation: 'export/url', input: 'conv' },
      },
    }));
    const form = byName(job, 'up')['result']['form'] as Obj;
    assert.ok(Object.keys(form['parameters'] as Obj).length > 0);
    for (const [name, value] of Object.entries(form['parameters'] as Obj)) assert.equal(typeof value, 'string', name);
    assert.equal((await upload(form, 'input.png', await pngOf(20, 20))).status, 201);
    const ended = data(await raw('GET', `/sync/v2/jobs/${String(job['id'])}`));
    assert.equal(ended['status'], 'finished', JSON.stringify(ended));
    assert.match(String(ended['created_at']), ISO);
    for (const task of [...(job['tasks'] as Obj[]), ...(ended['tasks'] as Obj[])]) {
      for (const field of ['percent', 'user_id', 'priority']) assert.equal(typeof task[field], 'number', `${field} of ${String(task['name'])}`);
      for (const field of ['created_at', 'started_at', 'ended_at']) if (task[field] !== null) assert.match(String(task[field]), ISO, field);
      for (const file of (task['result']?.['files'] ?? []) as Obj[]) assert.equal(typeof file['size'], 'number');
      assert.equal('payload' in task || 'retries' in task, false);
    }
    assert.equal((byName(ended, 'out')['result']['files'] as Obj[]).length, 1);
  });

  it('shows payload, retries, depends_on_tasks and job only when included', async () => {
    const job = data(await postJson('/v2/jobs', {
      tasks: {
        src: { operation: 'import/raw', file: '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', filename: 'a.svg' },
        up: { operation: 'import/upload' },
        conv: { operation: 'convert', input: ['src'], output_format: 'png' },
      },
    }));
    const conv = String(byName(job, 'conv')['id']);
    const plain = data(await raw('GET', `/v2/tasks/${conv}`));
    for (const field of ['payload', 'retries', 'depends_on_tasks', 'job']) assert.equal(field in plain, false, field);
    const full = data(await raw('GET', `/v2/tasks/${conv}?include=payload,retries,depends_on_tasks,job`));
    assert.deepEqual([full['payload']['operation'], full['payload']['input'], full['payload']['output_format']], ['convert', ['src'], 'png']);
    assert.deepEqual(full['retries'], []);
    assert.ok(Array.isArray(full['depends_on_tasks']));
    assert.deepEqual(full['depends_on_tasks'].map((t: Obj) => [t['id'], t['operation']]), [[byName(job, 'src')['id'], 'import/raw']]);
    assert.equal(full['job']['id'], job['id']);
    // A retry shows up among the retries of the task it retried, in a job and stand-alone.
    const alone = data(await postJson('/v2/import/upload', {}));
    for (const id of [String(byName(job, 'up')['id']), String(alone['id'])]) {
      await raw('POST', `/v2/tasks/${id}/cancel`);
      const retry = data(await raw('POST', `/v2/tasks/${id}/retry`));
      const retries = data(await raw('GET', `/v2/tasks/${id}?include=retries`))['retries'] as Obj[];
      assert.deepEqual(retries.map((t) => t['id']), [retry['id']], id === alone['id'] ? 'stand-alone' : 'in a job');
    }
  });

  it("accepts PHP's null tag, webhook_url and name, Java's empty tag and input arrays, and an operation inside a task body", async () => {
    const php = await postJson('/v2/jobs', { tasks: { 'import-1': { operation: 'import/raw', file: 'a', filename: 'a.txt' }, 'export-1': { operation: 'export/url', input: 'import-1' } }, tag: null, webhook_url: null });
    assert.equal(php.status, 201, php.text);
    assert.equal(data(php)['tag'], null);
    const phpTask = await postJson('/v2/import/raw', { file: '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', filename: 'b.svg', name: null });
    assert.equal(phpTask.status, 201, phpTask.text);
    assert.equal('name' in data(phpTask), false);
    const java = await postJson('/v2/jobs', { tasks: { a: { operation: 'import/raw', file: 'c', filename: 'c.txt' }, b: { operation: 'export/url', input: ['a'] } }, tag: '' });
    assert.equal(java.status, 201, java.text);
    assert.deepEqual(byName(data(java), 'b')['depends_on_task_ids'], [byName(data(java), 'a')['id']]);
    const net = await postJson('/v2/convert', { operation: 'convert', input: [data(phpTask)['id']], input_format: 'svg', output_format: 'png' });
    assert.equal(net.status, 201, net.text);
    assert.equal(data(net)['operation'], 'convert');
    const rb = await postJson('/v2/import/upload', { operation: 'import/upload' });
    assert.equal(rb.status, 201, rb.text);
  });

  it('blocks a task GET on a sync Host until the upload ends it; the legacy /wait answers the same', async () => {
    const task = data(await postJson('/v2/import/upload', {}));
    const id = String(task['id']);
    const started = Date.now();
    const blocked = raw('GET', `/v2/tasks/${id}`, { headers: { host: 'sync.api.sandbox.example.com' } });
    const early = await Promise.race([blocked.then(() => 'answered'), delay(400).then(() => 'waiting')]);
    assert.equal(early, 'waiting');
    assert.equal(data(await raw('GET', `/v2/tasks/${id}`))['status'], 'waiting');
    assert.equal((await upload(task['result']['form'] as Obj, 'late.png', await pngOf(8, 8))).status, 201);
    const answer = await blocked;
    assert.equal(answer.status, 200);
    assert.ok(Date.now() - started >= 400);
    const ended = javaData(answer);
    assert.deepEqual([ended['status'], ended['result']['files'][0]['filename']], ['finished', 'late.png']);
    const legacy = await raw('GET', `/v2/tasks/${id}/wait`);
    assert.deepEqual([legacy.status, javaData(legacy)['status']], [200, 'finished']);
  });

  it('answers an upload 201 with a non-JSON body, and refuses a wrong signature and a second upload', async () => {
    const task = data(await postJson('/v2/import/upload', {}));
    const form = task['result']['form'] as Obj;
    const forged = await upload(form, 'a.png', Buffer.from('a'), { ...(form['parameters'] as Record<string, string>), signature: 'forged' });
    assert.ok(forged.status >= 400 && forged.status < 500, `${forged.status} ${forged.text}`);
    // The task id is no secret: without the signature parameter the form refuses the file too.
    const { signature: _dropped, ...unsigned } = form['parameters'] as Record<string, string>;
    const anonymous = await upload(form, 'a.png', Buffer.from('a'), unsigned);
    assert.ok(anonymous.status >= 400 && anonymous.status < 500, `${anonymous.status} ${anonymous.text}`);
    assert.equal(data(await raw('GET', `/v2/tasks/${String(task['id'])}`))['status'], 'waiting');
    const first = await upload(form, 'a.png', Buffer.from('first'));
    assert.equal(first.status, 201, first.text);
    assert.doesNotMatch(String(first.headers['content-type']), /json/);
    assert.throws(() => first.json());
    const second = await upload(form, 'b.png', Buffer.from('second'));
    assert.ok(second.status >= 400 && second.status < 500, `${second.status} ${second.text}`);
    assert.equal(typeof second.json()['code'], 'string');
    const stored = data(await raw('GET', `/v2/tasks/${String(task['id'])}`));
    assert.deepEqual(stored['result']['files'].map((f: Obj) => [f['filename'], f['size']]), [['a.png', 5]]);
  });

  it('answers bad input with JSON errors: unknown operation, another key, private URLs, huge graphs and cycles', async () => {
    const unknown = await postJson('/v2/nope/op', {});
    assert.ok([404, 422].includes(unknown.status), String(unknown.status));
    assert.equal(typeof unknown.json()['code'], 'string');
    const mine = data(await postJson('/v2/import/upload', {}));
    const theirs = await raw('GET', `/v2/tasks/${String(mine['id'])}`, { key: OTHER_KEY });
    assert.deepEqual([theirs.status, theirs.json()['code']], [404, 'NOT_FOUND']);
    assert.equal((await raw('DELETE', `/v2/tasks/${String(mine['id'])}`, { key: OTHER_KEY })).status, 404);
    assert.equal((await raw('POST', `/v2/tasks/${String(mine['id'])}/cancel`, { key: OTHER_KEY })).status, 404);
    assert.equal(data(await raw('GET', `/v2/tasks/${String(mine['id'])}`))['status'], 'waiting');
    const privateTask = await postJson('/v2/import/url', { url: 'http://127.0.0.1:1/x.png' });
    assert.equal(privateTask.status, 422, privateTask.text);
    assert.ok('url' in privateTask.json()['errors']);
    const privateJob = await postJson('/v2/jobs', { tasks: { a: { operation: 'import/url', url: 'http://10.0.0.1/x.png' } } });
    assert.deepEqual([privateJob.status, Object.keys(privateJob.json()['errors'])], [422, ['tasks.a.url']]);
    const huge = await postJson('/v2/jobs', { tasks: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`t${i}`, { operation: 'import/upload' }])) });
    assert.deepEqual([huge.status, huge.json()['code']], [422, 'INVALID_DATA']);
    const cycle = await postJson('/v2/jobs', { tasks: { a: { operation: 'convert', input: 'c', output_format: 'pdf' }, b: { operation: 'convert', input: 'a', output_format: 'png' }, c: { operation: 'convert', input: 'b', output_format: 'jpg' } } });
    assert.equal(cycle.status, 422, cycle.text);
    assert.match(cycle.json()['errors']['tasks'][0], /cycle/);
    const anonymous = await raw('GET', '/v2/jobs', { key: null });
    assert.deepEqual([anonymous.status, anonymous.json()['code']], [401, 'UNAUTHENTICATED']);
  });
});
