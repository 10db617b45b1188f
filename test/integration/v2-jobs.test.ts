// API v2 jobs and tasks over raw HTTP against the real server (Redis, worker, sharp): the graph,
// waiting (sync prefix, sync Host, legacy /wait), exports, listing, cancel, retry and delete.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { pngOf, SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { OTHER_KEY, startTestServer, type TestServer } from '../helpers/server.js';

type Obj = Record<string, unknown>;
const data = (body: Obj): Obj => body['data'] as Obj;
const tasksOf = (job: Obj): Obj[] => job['tasks'] as Obj[];
const byName = (job: Obj, name: string): Obj => tasksOf(job).find((t) => t['name'] === name) ?? {};

describe('API v2 jobs', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  const convertJob = async (png: Buffer, extra: Obj = {}): Promise<Obj> => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, {
      tag: 'photos',
      tasks: {
        'import-it': { operation: 'import/base64', file: png.toString('base64'), filename: 'photo.png' },
        'convert-it': { operation: 'convert', input: 'import-it', output_format: 'jpg', width: 40, ...extra },
        'export-it': { operation: 'export/url', input: ['convert-it'] },
      },
    }, auth());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return data(created.body);
  };

  it('runs import -> convert -> export, waits under /sync/v2 and serves the file', async () => {
    const job = await convertJob(await pngOf(80, 60));
    assert.equal(job['tag'], 'photos');
    assert.match(String(job['id']), /^[0-9a-f-]{36}$/);
    const convertTask = byName(job, 'convert-it');
    assert.deepEqual(convertTask['depends_on_task_ids'], [byName(job, 'import-it')['id']]);
    const waited = await json(`${server.baseUrl}/sync/v2/jobs/${String(job['id'])}`, { headers: auth() });
    assert.equal(waited.status, 200);
    const ended = data(waited.body);
    assert.equal(ended['status'], 'finished', JSON.stringify(ended));
    const file = ((byName(ended, 'export-it')['result'] as Obj)['files'] as Obj[])[0] ?? {};
    assert.equal(file['filename'], 'photo.jpg');
    const download = await fetch(String(file['url']));
    assert.equal(download.status, 200);
    const meta = await sharp(Buffer.from(await download.arrayBuffer())).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.width, 40);
    assert.equal(meta.height, 30);
  });

  it('creates and waits in one POST /sync/v2/jobs, and redirects to the first export file with redirect: true', async () => {
    const tasks = {
      'import-it': { operation: 'import/base64', file: (await pngOf(30, 20)).toString('base64'), filename: 'sync.png' },
      'convert-it': { operation: 'convert', input: 'import-it', output_format: 'webp' },
      'export-it': { operation: 'export/url', input: 'convert-it' },
    };
    const waited = await postJson(`${server.baseUrl}/sync/v2/jobs`, { tasks }, auth());
    assert.equal(waited.status, 200, JSON.stringify(waited.body));
    assert.equal(data(waited.body)['status'], 'finished');
    const redirected = await fetch(`${server.baseUrl}/sync/v2/jobs`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ tasks, redirect: true }), redirect: 'manual' });
    assert.equal(redirected.status, 302);
    const location = String(redirected.headers.get('location'));
    assert.match(location, /\/v2\/files\/.+\/sync\.webp$/);
    const meta = await sharp(Buffer.from(await (await fetch(location)).arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 30, 20]);
  });

  it('starts every single-object body with exactly {"data": and never sends null numbers', async () => {
    const job = await convertJob(await pngOf(20, 20));
    const response = await fetch(`${server.baseUrl}/v2/jobs/${String(job['id'])}/wait`, { headers: auth() });
    const text = await response.text();
    assert.ok(text.startsWith('{"data":{'), text.slice(0, 20));
    const ended = data(JSON.parse(text) as Obj);
    for (const task of tasksOf(ended)) {
      assert.equal(typeof task['percent'], 'number');
      assert.equal(typeof task['user_id'], 'number');
      assert.equal(typeof task['priority'], 'number');
      assert.equal('payload' in task, false);
      assert.equal('retries' in task, false);
      assert.match(String(task['created_at']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    }
  });

  it('blocks a GET on a Host with a sync label and answers a plain GET at once', async () => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks: { up: { operation: 'import/upload' } } }, auth());
    const job = data(created.body);
    assert.equal(job['status'], 'waiting');
    const plain = await json(`${server.baseUrl}/v2/jobs/${String(job['id'])}`, { headers: auth() });
    assert.equal(data(plain.body)['status'], 'waiting');
    // fetch cannot set Host: a raw request names the sync host.
    const request = http.get({ host: '127.0.0.1', port: server.port, path: `/v2/jobs/${String(job['id'])}`, headers: { ...auth(), host: 'eu-central.sync.api.example.com' } });
    const blocked = new Promise<string>((resolve) => {
      request.on('response', () => resolve('answered'));
      request.on('error', () => resolve('aborted'));
    });
    const first = await Promise.race([blocked, new Promise((r) => setTimeout(() => r('still waiting'), 500))]);
    assert.equal(first, 'still waiting');
    request.destroy();
    await blocked;
  });

  it('fails the dependants of a failed task with INPUT_TASK_FAILED', async () => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, {
      tasks: {
        bad: { operation: 'import/raw', file: 'not an image', filename: 'broken.png' },
        conv: { operation: 'convert', input: 'bad', output_format: 'jpg' },
        out: { operation: 'export/url', input: 'conv' },
      },
    }, auth());
    assert.equal(created.status, 201);
    const ended = data((await json(`${server.baseUrl}/sync/v2/jobs/${String(data(created.body)['id'])}`, { headers: auth() })).body);
    assert.equal(ended['status'], 'error');
    assert.equal(byName(ended, 'conv')['status'], 'error');
    assert.equal(byName(ended, 'out')['code'], 'INPUT_TASK_FAILED');
    assert.equal(byName(ended, 'out')['message'], 'Input task has failed');
  });

  it('answers 422 INVALID_DATA naming the field for bad graphs and bad options', async () => {
    const cases: Array<[Obj, string]> = [
      [{ tasks: {} }, 'tasks'],
      [{ tasks: { a: { operation: 'nope/op' } } }, 'tasks.a.operation'],
      [{ tasks: { a: { operation: 'convert', input: 'missing', output_format: 'jpg' } } }, 'tasks.a.input'],
      [{ tasks: { a: { operation: 'convert', input: 'b', output_format: 'pdf', input_format: 'png' }, b: { operation: 'convert', input: 'a', output_format: 'png', input_format: 'pdf' } } }, 'tasks'],
      [{ tasks: { a: { operation: 'import/url', url: 'http://127.0.0.1/secret' } } }, 'tasks.a.url'],
      [{ tasks: { a: { operation: 'import/raw', file: 'x', filename: 'a.png' }, b: { operation: 'convert', input: 'a', input_format: 'png', output_format: 'jpg', quality: 'high' } } }, 'tasks.b.quality'],
      [{ tasks: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, { operation: 'import/upload' }])) }, 'tasks'],
    ];
    for (const [body, field] of cases) {
      const response = await postJson(`${server.baseUrl}/v2/jobs`, body, auth());
      assert.equal(response.status, 422, JSON.stringify(response.body));
      assert.equal(response.body['code'], 'INVALID_DATA');
      assert.ok(Object.keys(response.body['errors'] as Obj).includes(field), `${field} in ${JSON.stringify(response.body['errors'])}`);
    }
  });

  it('keeps a job invisible to another key, and answers 401 UNAUTHENTICATED without one', async () => {
    const job = await convertJob(await pngOf(10, 10));
    const other = await json(`${server.baseUrl}/v2/jobs/${String(job['id'])}`, { headers: auth(OTHER_KEY) });
    assert.equal(other.status, 404);
    const task = byName(job, 'import-it');
    assert.equal((await json(`${server.baseUrl}/v2/tasks/${String(task['id'])}`, { headers: auth(OTHER_KEY) })).status, 404);
    const none = await json(`${server.baseUrl}/v2/jobs`);
    assert.equal(none.status, 401);
    assert.deepEqual({ message: none.body['message'], code: none.body['code'] }, { message: 'Unauthenticated.', code: 'UNAUTHENTICATED' });
  });

  it('lists jobs with filters and the pagination envelope, empty query values meaning absent', async () => {
    const job = await convertJob(await pngOf(10, 10));
    await json(`${server.baseUrl}/sync/v2/jobs/${String(job['id'])}`, { headers: auth() });
    const list = await json(`${server.baseUrl}/v2/jobs?filter[status]=&filter[tag]=photos&include=&per_page=&page=`, { headers: auth() });
    assert.equal(list.status, 200);
    const items = list.body['data'] as Obj[];
    assert.ok(items.some((j) => j['id'] === job['id']));
    assert.ok(items.every((j) => j['tag'] === 'photos' && !('tasks' in j)));
    assert.equal((list.body['meta'] as Obj)['per_page'], 100);
    const finished = await json(`${server.baseUrl}/v2/jobs?filter%5Bstatus%5D=error`, { headers: auth() });
    assert.ok((finished.body['data'] as Obj[]).every((j) => j['status'] === 'error'));
    const tasks = await json(`${server.baseUrl}/v2/tasks?filter[job_id]=${String(job['id'])}&filter[operation]=convert`, { headers: auth() });
    assert.equal((tasks.body['data'] as Obj[]).length, 1);
  });

  it('ends a task whose process was lost (the sweeper\'s safety net), failing its dependants', async () => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks: { up: { operation: 'import/upload' }, out: { operation: 'export/url', input: 'up' } } }, auth());
    const job = data(created.body);
    const up = byName(job, 'up');
    const { tasks, scheduler } = server.core.serviceDeps;
    // As if a worker had started it and died before telling the task its process ended.
    await tasks.updateTask({ id: String(up['id']), jobId: String(job['id']) }, { status: 'processing', processId: 'AAAAAAAAAAAAAAAAAAAAAA' });
    await tasks.markRunning(String(up['id']), Math.floor(Date.now() / 1000) - 3600);
    assert.equal(await scheduler.reconcileRunning(), 1);
    const ended = data((await json(`${server.baseUrl}/v2/jobs/${String(job['id'])}`, { headers: auth() })).body);
    assert.equal(byName(ended, 'up')['status'], 'error');
    assert.equal(byName(ended, 'out')['code'], 'INPUT_TASK_FAILED');
    assert.equal(ended['status'], 'error');
  });

  it('runs a stand-alone task, cancels a waiting one, retries and deletes', async () => {
    const created = await postJson(`${server.baseUrl}/v2/import/raw`, { file: SVG.toString('utf8'), filename: 'd.svg' }, auth());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const importTask = data(created.body);
    assert.equal('name' in importTask, false);
    assert.equal(importTask['job_id'], null);
    const conv = await postJson(`${server.baseUrl}/v2/convert`, { input: importTask['id'], output_format: 'png' }, auth());
    assert.equal(conv.status, 201, JSON.stringify(conv.body));
    const waited = await json(`${server.baseUrl}/v2/tasks/${String(data(conv.body)['id'])}/wait`, { headers: auth() });
    assert.equal(data(waited.body)['status'], 'finished', JSON.stringify(waited.body));
    const upload = data((await postJson(`${server.baseUrl}/v2/import/upload`, {}, auth())).body);
    const cancelled = await fetch(`${server.baseUrl}/v2/tasks/${String(upload['id'])}/cancel`, { method: 'POST', headers: auth() });
    assert.equal(cancelled.status, 200);
    const cancelledTask = data((await cancelled.json()) as Obj);
    assert.deepEqual([cancelledTask['status'], cancelledTask['code']], ['error', 'CANCELLED']);
    const again = await fetch(`${server.baseUrl}/v2/tasks/${String(upload['id'])}/cancel`, { method: 'POST', headers: auth() });
    assert.equal(again.status, 422);
    const retried = await fetch(`${server.baseUrl}/v2/tasks/${String(upload['id'])}/retry`, { method: 'POST', headers: auth() });
    assert.equal(retried.status, 201);
    const retry = data((await retried.json()) as Obj);
    assert.equal(retry['retry_of_task_id'], upload['id']);
    assert.equal(retry['status'], 'waiting');
    assert.ok((retry['result'] as Obj)['form'] !== undefined);
    const deleted = await fetch(`${server.baseUrl}/v2/tasks/${String(retry['id'])}`, { method: 'DELETE', headers: { ...auth(), 'content-type': 'application/json' } });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.headers.get('content-type'), null);
    assert.equal((await json(`${server.baseUrl}/v2/tasks/${String(retry['id'])}`, { headers: auth() })).status, 404);
  });
});

describe('API v2 SYNC_PORT listener', () => {
  let server: TestServer;
  let syncPort = 0;
  before(async () => {
    syncPort = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    // Upload forms expire after 8 s here, and the sweeper looks every second.
    server = await startTestServer({ env: { SYNC_PORT: String(syncPort), RETENTION_UNSTARTED_SECONDS: '8', SWEEP_INTERVAL_SECONDS: '1' } });
  });
  after(async () => server.stop());

  it('blocks GET /v2/tasks/{id} on the sync port until the upload has arrived, and not on the main port', async () => {
    const task = data((await postJson(`${server.baseUrl}/v2/import/upload`, {}, auth())).body);
    const main = await json(`${server.baseUrl}/v2/tasks/${String(task['id'])}`, { headers: auth() });
    assert.equal(data(main.body)['status'], 'waiting');
    let answered = false;
    const blocked = json(`http://127.0.0.1:${syncPort}/v2/tasks/${String(task['id'])}`, { headers: auth() }).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(answered, false, 'the sync port must block while the task waits');
    const form = (task['result'] as Obj)['form'] as { url: string; parameters: Record<string, string> };
    const body = new FormData();
    for (const [k, v] of Object.entries(form.parameters)) body.append(k, v);
    body.append('file', new Blob([SVG]), 'drawing one.svg');
    const uploaded = await fetch(form.url, { method: 'POST', body });
    assert.equal(uploaded.status, 201);
    const ended = data((await blocked).body);
    assert.equal(ended['status'], 'finished');
    assert.equal(((ended['result'] as Obj)['files'] as Obj[])[0]?.['filename'], 'drawing one.svg');
  });

  it('fails an upload task whose form expired unused, and its dependants with INPUT_TASK_FAILED', { timeout: 60_000 }, async () => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks: { up: { operation: 'import/upload' }, conv: { operation: 'convert', input: 'up', output_format: 'png' } } }, auth());
    const ended = data((await json(`${server.baseUrl}/sync/v2/jobs/${String(data(created.body)['id'])}`, { headers: auth() })).body);
    assert.equal(ended['status'], 'error');
    assert.equal(byName(ended, 'up')['code'], 'UPLOAD_EXPIRED');
    assert.equal(byName(ended, 'conv')['code'], 'INPUT_TASK_FAILED');
  });
});
