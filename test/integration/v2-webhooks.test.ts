// API v2 webhooks against a real server (Redis, notification worker) and a real receiver on
// loopback: the management endpoints, signed deliveries of job events, retries, 410 and failing
// marks, per-job webhook_url, and what the private-address guard and another key may not do.
// Signatures are checked with the official Node SDK's own webhooks.verify (cloudconvert 3.0.0),
// on the exact bytes received. Every assert.ok has a
// message: without one, node's assert re-parses this TypeScript source to describe the failure,
// which can spin for minutes.
import assert from 'node:assert/strict';
import CloudConvert3 from 'cloudconvert-v3';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { QUEUES } from '../../src/core/jobs.js';
import { notificationId } from '../../src/core/notifications.js';
import type { JobRequest } from '../../src/core/v2/graph.js';
import { startCallbackTarget, type CallbackHit, type CallbackTarget } from '../helpers/callback-target.js';
import { auth, json, postJson } from '../helpers/http.js';
import { OTHER_KEY, startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';

const DELAY_MS = 100;
type Webhook = { id: string; url: string; events: string[]; signing_secret: string; disabled: boolean; failing: boolean; created_at: string; updated_at: string; links: { self: string } };

/** The SDK's check, as a receiver built on it runs it (the raw body as a string). */
const verify = (hit: CallbackHit, secret: string): boolean =>
  new CloudConvert3(TEST_KEY, true).webhooks.verify(hit.body.toString('utf8'), String(hit.headers['cloudconvert-signature']), secret);
const eventOf = (hit: CallbackHit): { event: string; job: { id: string; status: string; tasks: Array<Record<string, unknown>> } } => JSON.parse(hit.body.toString('utf8'));

describe('API v2 webhooks', { timeout: 60_000 }, () => {
  let server: TestServer;
  let target: CallbackTarget;
  let queue: Queue;
  before(async () => {
    target = await startCallbackTarget();
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true', CALLBACK_DELAY_MS: String(DELAY_MS) } });
    queue = new Queue(QUEUES.notification, { connection: server.core.connect(), prefix: server.config.redisPrefix });
  });
  after(async () => {
    await queue.close();
    await server.stop();
    await target.stop();
  });

  async function createWebhook(path: string, events: string[], key = TEST_KEY): Promise<Webhook> {
    const response = await fetch(`${server.baseUrl}/v2/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(key) }, body: JSON.stringify({ url: `${target.baseUrl}${path}`, events }) });
    const text = await response.text();
    assert.equal(response.status, 201, text);
    // The Java SDK cuts `{"data":` off the front of single objects.
    assert.ok(text.startsWith('{"data":{'), text.slice(0, 40));
    return (JSON.parse(text) as { data: Webhook }).data;
  }

  const list = async (key = TEST_KEY, query = ''): Promise<{ data: Webhook[]; links: Record<string, string | null>; meta: Record<string, unknown> }> => {
    const response = await json<{ data: Webhook[]; links: Record<string, string | null>; meta: Record<string, unknown> }>(`${server.baseUrl}/v2/users/me/webhooks${query}`, { headers: auth(key) });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };

  /** A job through POST /v2/jobs, as a client makes it. */
  async function createJob(request: JobRequest, key = TEST_KEY): Promise<string> {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks: request.tasks, tag: request.tag ?? null, webhook_url: request.webhookUrl ?? null }, auth(key));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return String((created.body['data'] as Record<string, unknown>)['id']);
  }
  const exportJob = (extra: Partial<JobRequest> = {}): JobRequest => ({
    tasks: { 'import-it': { operation: 'import/raw', file: '<svg xmlns="http://www.w3.org/2000/svg"/>', filename: 'a.svg' }, 'export-it': { operation: 'export/url', input: 'import-it' } },
    ...extra,
  });

  it('creates a webhook and delivers job.created then job.finished, signed over the exact body', async () => {
    const webhook = await createWebhook('/hooks/all', ['job.created', 'job.finished', 'job.failed']);
    assert.match(webhook.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual({ ...webhook, id: '', signing_secret: '', created_at: '', updated_at: '' }, { id: '', url: `${target.baseUrl}/hooks/all`, events: ['job.created', 'job.finished', 'job.failed'], signing_secret: '', disabled: false, failing: false, created_at: '', updated_at: '', links: { self: `${server.baseUrl}/v2/webhooks/${webhook.id}` } });
    assert.match(webhook.signing_secret, /^[A-Za-z0-9]{32}$/);
    assert.match(webhook.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

    const jobId = await createJob(exportJob({ tag: 'hooked' }));
    await until(async () => target.hits('/hooks/all').filter((h) => eventOf(h).job.id === jobId).length >= 2, 15_000, 'job.created and job.finished');
    const hits = target.hits('/hooks/all').filter((h) => eventOf(h).job.id === jobId);
    assert.deepEqual(hits.map((h) => eventOf(h).event).sort(), ['job.created', 'job.finished']);
    for (const hit of hits) {
      assert.equal(hit.method, 'POST');
      assert.equal(hit.headers['content-type'], 'application/json');
      assert.ok(verify(hit, webhook.signing_secret), `signature ${String(hit.headers['cloudconvert-signature'])} does not match the body`);
      assert.ok(!verify(hit, 'another secret'), 'any secret verifies');
      assert.ok(hit.body.toString().startsWith('{"event":"job.'), hit.body.toString().slice(0, 40));
    }
    const created = eventOf(hits.find((h) => eventOf(h).event === 'job.created') ?? assert.fail('no job.created'));
    const finished = eventOf(hits.find((h) => eventOf(h).event === 'job.finished') ?? assert.fail('no job.finished'));
    // job.created shows the job as it was created (the export still waiting), not as it is when posted.
    assert.deepEqual(created.job.tasks.map((t) => [t['name'], t['status']]), [['import-it', 'finished'], ['export-it', 'waiting']]);
    assert.equal(finished.job.status, 'finished');
    const exported = finished.job.tasks.find((t) => t['name'] === 'export-it') as { result: { files: Array<{ url: string; filename: string }> } };
    assert.equal(exported.result.files[0]?.filename, 'a.svg');
    assert.ok(exported.result.files[0]?.url.startsWith(`${server.baseUrl}/v2/files/`), String(exported.result.files[0]?.url));
  });

  it('retries a receiver that answers 500, then delivers the same signed bytes; only the events asked for', async () => {
    target.script('/hooks/flaky', { statuses: [500, 200] });
    const webhook = await createWebhook('/hooks/flaky', ['job.finished']);
    const jobId = await createJob(exportJob());
    await until(async () => target.hits('/hooks/flaky').length >= 2, 15_000, 'a retry after the 500');
    const [first, second] = target.hits('/hooks/flaky');
    assert.ok(first !== undefined && second !== undefined, 'two requests');
    assert.deepEqual(second.body, first.body);
    assert.ok(verify(second, webhook.signing_secret), 'the retry is signed with the webhook secret');
    assert.equal(eventOf(second).job.id, jobId);
    assert.ok(second.at - first.at >= DELAY_MS * 0.9, `retried after ${second.at - first.at} ms`);
    await until(async () => (await queue.getJob(notificationId({ kind: 'webhook', event: 'job.finished', jobId, owner: '', url: '', webhookId: webhook.id, body: '' })))?.finishedOn !== undefined, 5000, 'the delivery to complete');
    assert.equal(target.hits('/hooks/flaky').length, 2);
    // Not listening to job.created: nothing was even queued for it.
    assert.equal(await queue.getJob(notificationId({ kind: 'webhook', event: 'job.created', jobId, owner: '', url: '', webhookId: webhook.id, body: '' })), undefined);
    assert.equal((await list()).data.find((w) => w.id === webhook.id)?.failing, false);
  });

  it('disables a webhook whose receiver answers 410 Gone: later jobs queue nothing for it', async () => {
    target.script('/hooks/gone', { statuses: [410] });
    const gone = await createWebhook('/hooks/gone', ['job.created']);
    const witness = await createWebhook('/hooks/witness', ['job.created']);
    await createJob(exportJob());
    await until(async () => (await list()).data.find((w) => w.id === gone.id)?.disabled === true, 15_000, 'the webhook to be disabled');
    assert.equal(target.hits('/hooks/gone').length, 1);
    const later = await createJob(exportJob());
    const idFor = (webhookId: string) => notificationId({ kind: 'webhook', event: 'job.created', jobId: later, owner: '', url: '', webhookId, body: '' });
    assert.notEqual(await queue.getJob(idFor(witness.id)), undefined, 'the witness heard of the later job');
    assert.equal(await queue.getJob(idFor(gone.id)), undefined);
  });

  it('marks a webhook failing once its first attempt and 3 more have failed', async () => {
    const refusing = await startCallbackTarget();
    const deadUrl = `${refusing.baseUrl}/hooks/dead`;
    await refusing.stop();
    const response = await postJson(`${server.baseUrl}/v2/webhooks`, { url: deadUrl, events: ['job.created'] }, auth());
    assert.equal(response.status, 201);
    const webhook = (response.body as { data: Webhook }).data;
    const jobId = await createJob(exportJob());
    const delivery = notificationId({ kind: 'webhook', event: 'job.created', jobId, owner: '', url: '', webhookId: webhook.id, body: '' });
    await until(async () => (await list()).data.find((w) => w.id === webhook.id)?.failing === true, 15_000, 'the webhook to be marked failing');
    assert.equal((await queue.getJob(delivery))?.attemptsMade, 4);
  });

  it("posts only job.failed to a job's own webhook_url, signed with the key's oldest webhook secret", async () => {
    const [oldest] = (await list()).data;
    assert.ok(oldest !== undefined, 'earlier tests made webhooks for this key');
    const closed = await startCallbackTarget();
    await closed.stop();
    const jobId = await createJob({ tasks: { 'fetch-it': { operation: 'import/url', url: `${closed.baseUrl}/missing.svg` } }, webhookUrl: `${target.baseUrl}/hooks/job-url` });
    await until(async () => target.hits('/hooks/job-url').length >= 1, 30_000, 'the job.failed delivery');
    const [hit] = target.hits('/hooks/job-url');
    assert.ok(hit !== undefined, 'one request');
    const body = eventOf(hit);
    assert.deepEqual([body.event, body.job.id, body.job.status], ['job.failed', jobId, 'error']);
    assert.ok(verify(hit, oldest.signing_secret), 'signed with the oldest webhook secret');
    assert.equal(await queue.getJob(notificationId({ kind: 'webhook', event: 'job.created', jobId, owner: '', url: '', body: '' })), undefined);
  });

  it('lists by url and by page, deletes with 204, and keeps every webhook from other keys', async () => {
    const mine = await createWebhook('/hooks/listed', ['job.failed']);
    const filtered = await list(TEST_KEY, `?filter[url]=${encodeURIComponent(mine.url)}`);
    assert.deepEqual(filtered.data.map((w) => w.id), [mine.id]);
    assert.equal(filtered.data[0]?.signing_secret, mine.signing_secret);
    const all = await list();
    assert.ok(all.data.length >= 2, `${all.data.length} webhooks listed`);
    const second = await list(TEST_KEY, '?per_page=1&page=2');
    assert.deepEqual(second.data.map((w) => w.id), [all.data[1]?.id]);
    assert.deepEqual([second.meta['per_page'], second.meta['current_page'], second.links['prev']], [1, 2, `${server.baseUrl}/v2/users/me/webhooks?page=1`]);
    // .NET sends every filter empty: empty means absent.
    assert.equal((await list(TEST_KEY, '?filter[url]=&per_page=&page=')).data.length, all.data.length);

    assert.deepEqual((await list(OTHER_KEY)).data, []);
    const theirs = await createWebhook('/hooks/theirs', ['job.created'], OTHER_KEY);
    assert.ok(!(await list()).data.some((w) => w.id === theirs.id), "another key's webhook is listed");
    const foreign = await json(`${server.baseUrl}/v2/webhooks/${mine.id}`, { method: 'DELETE', headers: auth(OTHER_KEY) });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body['code'], 'NOT_FOUND');
    assert.ok((await list()).data.some((w) => w.id === mine.id), 'another key deleted it');

    const deleted = await fetch(`${server.baseUrl}/v2/webhooks/${mine.id}`, { method: 'DELETE', headers: { ...auth(), 'content-type': 'application/json' } });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.headers.get('content-type'), null);
    assert.equal(await deleted.text(), '');
    assert.ok(!(await list()).data.some((w) => w.id === mine.id), 'still listed after the delete');
    assert.equal((await json(`${server.baseUrl}/v2/webhooks/${mine.id}`, { method: 'DELETE', headers: auth() })).status, 404);
  });

  it('keeps the signing secret sealed in Redis', async () => {
    const webhook = await createWebhook('/hooks/sealed', ['job.created']);
    const stored = await server.core.redis.hgetall(`${server.config.redisPrefix}:v2:wh:${webhook.id}`);
    assert.equal(JSON.parse(stored['url'] ?? 'null'), webhook.url, 'the record is where the test looks');
    assert.ok(!Object.values(stored).some((v) => v.includes(webhook.signing_secret)), 'the secret is stored in the clear');
  });
});

describe('API v2 webhooks without private URLs', { timeout: 60_000 }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ worker: false });
  });
  after(async () => server.stop());

  const create = (body: unknown) => postJson(`${server.baseUrl}/v2/webhooks`, body, auth());

  it('answers 422 INVALID_DATA naming url for a loopback address and events for unknown ones', async () => {
    const loopback = await create({ url: 'http://127.0.0.1:9/hook', events: ['job.created'] });
    assert.equal(loopback.status, 422);
    assert.equal(loopback.body['code'], 'INVALID_DATA');
    assert.deepEqual(Object.keys(loopback.body['errors'] as object), ['url']);
    const events = await create({ url: 'https://example.com/hook', events: ['job.created', 'task.finished'] });
    assert.equal(events.status, 422);
    assert.deepEqual(Object.keys(events.body['errors'] as object), ['events']);
    const empty = await create({});
    assert.deepEqual(Object.keys(empty.body['errors'] as object).sort(), ['events', 'url']);
    // No body at all (no Content-Type either): the same 422, not a schema 400.
    const none = await json(`${server.baseUrl}/v2/webhooks`, { method: 'POST', headers: auth() });
    assert.equal(none.status, 422, JSON.stringify(none.body));
    assert.deepEqual(Object.keys(none.body['errors'] as object).sort(), ['events', 'url']);
    assert.deepEqual((await json<{ data: unknown[] }>(`${server.baseUrl}/v2/users/me/webhooks`, { headers: auth() })).body.data, []);
  });

  it('takes a public URL', async () => {
    const created = await create({ url: 'https://example.com/hook', events: ['job.finished'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });
});
