// The real-time API of v2 (wire spec 12) against the real server, Redis and worker: the official
// Node SDKs (3.0.0 and 2.3.7) subscribe through their own code, only their socket is pointed at
// the local server (test/helpers/v2-socket.ts). A second API node on the same Redis shows that
// events reach sockets on any node.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Socket } from 'socket.io-client';
import { startTestServer, OTHER_KEY, TEST_KEY, type TestServer } from '../helpers/server.js';
import { sdk2, sdk3, type Sdk3 } from '../helpers/v2-sdk.js';
import { collect, nextEvent, openSocket, pointSdkSocket, subscribe } from '../helpers/v2-socket.js';

type Obj = Record<string, any>;
const TEXT = Buffer.from('hello sockets\n');

/** A job that waits for its upload, then exports it: it ends when the test uploads. */
async function uploadJob(cc: Sdk3): Promise<Obj> {
  return cc.jobs.create({ tag: 'socket', tasks: { 'up-it': { operation: 'import/upload' }, 'out-it': { operation: 'export/url', input: 'up-it' } } }) as Promise<Obj>;
}

async function uploadTo(cc: Sdk3, job: Obj): Promise<void> {
  const task = (job.tasks as Obj[]).find((t) => t.name === 'up-it');
  await cc.tasks.upload(task as never, TEXT, 'hello.txt');
}

/** Resolves with what the SDK callback got first; rejects after `ms`. */
function sdkEvent(register: (callback: (event: Obj) => void) => unknown, ms = 30_000): Promise<Obj> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the SDK callback got nothing within ${ms} ms`)), ms);
    register((event) => {
      clearTimeout(timer);
      resolve(event);
    });
  });
}

/** The packets of an Engine.IO 3 polling payload: `<length>:<packet>` one after the other. */
function eio3Packets(payload: string): string[] {
  const packets: string[] = [];
  let at = 0;
  while (at < payload.length) {
    const colon = payload.indexOf(':', at);
    if (colon < 0) break;
    const length = Number(payload.slice(at, colon));
    packets.push(payload.slice(colon + 1, colon + 1 + length));
    at = colon + 1 + length;
  }
  return packets;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('API v2 real-time API (socket.io)', () => {
  let server: TestServer;
  let other: TestServer;
  const sockets: Socket[] = [];
  const track = (socket: Socket): Socket => (sockets.push(socket), socket);

  before(async () => {
    server = await startTestServer();
    // The second API node shares the first one's Redis (and its worker).
    other = await startTestServer({ redisUrl: server.redisUrl, worker: false });
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await other.stop();
    await server.stop();
  });

  it('Node SDK 3.0.0: jobs.subscribeEvent(id, "finished") gets job.finished with the job as GET /v2/jobs returns it', async () => {
    const cc = sdk3(server.baseUrl);
    const socket = track(pointSdkSocket(cc, server.baseUrl));
    const job = await uploadJob(cc);
    const finished = sdkEvent((cb) => cc.jobs.subscribeEvent(job.id, 'finished', cb));
    assert.deepEqual(await subscribe(socket, `private-job.${job.id}`, TEST_KEY), { ok: true, channel: `private-job.${job.id}` });
    await uploadTo(cc, job);
    const event = await finished;
    assert.equal(event.job.id, job.id);
    assert.equal(event.job.status, 'finished');
    const rest = (await cc.jobs.get(job.id)) as Obj;
    assert.deepEqual(event.job, rest);
    assert.deepEqual(event.job.tasks.map((t: Obj) => t.name).sort(), ['out-it', 'up-it']);
  });

  it("another key's subscribe to the job is refused and hears nothing, while the owner's socket hears it all", async () => {
    const cc = sdk3(server.baseUrl);
    const job = await uploadJob(cc);
    const owner = track(openSocket(server.baseUrl));
    const stranger = track(openSocket(server.baseUrl));
    const strangerJobs = collect(stranger, 'job.finished');
    const strangerTasks = collect(stranger, 'task.finished');
    const refused = await subscribe(stranger, `private-job.${job.id}`, OTHER_KEY);
    assert.equal(refused.ok, false);
    assert.match(refused.message ?? '', /no such job/);
    assert.equal((await subscribe(stranger, `private-job.${job.id}.tasks`, OTHER_KEY)).ok, false);
    assert.equal((await subscribe(stranger, `private-job.${job.id}`, 'not-a-key-at-all')).ok, false);
    // The docs' plural spelling is accepted, and its events come under that name.
    assert.equal((await subscribe(owner, `private-jobs.${job.id}`, TEST_KEY)).ok, true);
    const ownerFinished = nextEvent(owner, 'job.finished', `private-jobs.${job.id}`);
    await uploadTo(cc, job);
    assert.equal((await ownerFinished).job.id, job.id);
    await pause(500);
    assert.deepEqual(strangerJobs, []);
    assert.deepEqual(strangerTasks, []);
  });

  it('a refused subscribe without an ack gets subscription.failed naming the problem, never the key', async () => {
    const socket = track(openSocket(server.baseUrl));
    const failed = new Promise<[string | null, Obj]>((resolve) => socket.once('subscription.failed', (channel: string | null, data: Obj) => resolve([channel, data])));
    socket.emit('subscribe', { channel: 'private-job.123', auth: { headers: { Authorization: 'Bearer secret-key-12345' } } });
    const [channel, data] = await failed;
    assert.equal(channel, 'private-job.123');
    assert.match(data.message, /private-job\.\{jobId\}/);
    assert.doesNotMatch(JSON.stringify(data), /secret-key/);
    const noAuth = await subscribe(socket, 'private-user.12345678.jobs', '');
    assert.equal(noAuth.ok, false);
    assert.match(noAuth.message ?? '', /auth\.headers\.Authorization/);
  });

  it('task events on private-job.{id}.tasks and private-task.{id}, with the task objects of the REST API', async () => {
    const cc = sdk3(server.baseUrl);
    const socket = track(pointSdkSocket(cc, server.baseUrl));
    const job = await uploadJob(cc);
    const upload = (job.tasks as Obj[]).find((t) => t.name === 'up-it') as Obj;
    const viaJob: Obj[] = [];
    cc.jobs.subscribeTaskEvent(job.id, 'finished', (event: Obj) => viaJob.push(event));
    const viaTask = sdkEvent((cb) => cc.tasks.subscribeEvent(upload.id, 'finished', cb));
    const updated = nextEvent(socket, 'task.updated', `private-job.${job.id}.tasks`);
    assert.equal((await subscribe(socket, `private-task.${upload.id}`, TEST_KEY)).ok, true);
    await uploadTo(cc, job);
    const own = await viaTask;
    assert.equal(own.task.id, upload.id);
    assert.equal(own.task.status, 'finished');
    assert.equal(own.task.result.files[0].filename, 'hello.txt');
    // The upload's move to processing ("Receiving file") is a task.updated.
    assert.equal((await updated).task.status, 'processing');
    const ended = (await cc.jobs.wait(job.id)) as Obj;
    for (let i = 0; i < 100 && viaJob.length < 2; i++) await pause(100);
    assert.deepEqual(viaJob.map((e) => e.task.name).sort(), ['out-it', 'up-it']);
    const restExport = (ended.tasks as Obj[]).find((t) => t.name === 'out-it');
    assert.deepEqual(viaJob.find((e) => e.task.name === 'out-it')?.task, restExport);
  });

  it('user channels: job.created and task.created of the key, and no other key may subscribe to them', async () => {
    const cc = sdk3(server.baseUrl);
    const socket = track(pointSdkSocket(cc, server.baseUrl));
    const me = (await cc.users.me()) as Obj;
    const jobCreated = sdkEvent((cb) => cc.users.subscribeJobEvent(me.id, 'created', cb));
    const taskCreated = sdkEvent((cb) => cc.users.subscribeTaskEvent(me.id, 'created', cb));
    assert.equal((await subscribe(socket, `private-user.${me.id}.tasks`, TEST_KEY)).ok, true);
    const stranger = track(openSocket(server.baseUrl));
    assert.equal((await subscribe(stranger, `private-user.${me.id}.jobs`, OTHER_KEY)).ok, false);
    const strangerEvents = collect(stranger, 'job.created');
    const job = await uploadJob(cc);
    const created = await jobCreated;
    assert.equal(created.job.id, job.id);
    assert.equal(created.job.tag, 'socket');
    assert.equal((await taskCreated).task.job_id, job.id);
    await pause(300);
    assert.deepEqual(strangerEvents, []);
  });

  it('a cancelled upload: task.failed for it and its dependant, then job.failed', async () => {
    const cc = sdk3(server.baseUrl);
    const job = await uploadJob(cc);
    const socket = track(openSocket(server.baseUrl));
    assert.equal((await subscribe(socket, `private-job.${job.id}`, TEST_KEY)).ok, true);
    assert.equal((await subscribe(socket, `private-job.${job.id}.tasks`, TEST_KEY)).ok, true);
    const failedTasks = collect(socket, 'task.failed');
    const failed = nextEvent(socket, 'job.failed', `private-job.${job.id}`);
    await cc.tasks.cancel((job.tasks as Obj[]).find((t) => t.name === 'up-it')?.id);
    const event = await failed;
    assert.equal(event.job.status, 'error');
    // Delivered in the order published: both task ends come before the job's.
    assert.deepEqual(failedTasks.map((e) => [e.data.task.name, e.data.task.code]).sort(), [['out-it', 'INPUT_TASK_FAILED'], ['up-it', 'CANCELLED']]);
  });

  it('job.updated on the job channel while the job goes on', async () => {
    const cc = sdk3(server.baseUrl);
    const job = await uploadJob(cc);
    const socket = track(openSocket(server.baseUrl));
    assert.equal((await subscribe(socket, `private-job.${job.id}`, TEST_KEY)).ok, true);
    const updated = nextEvent(socket, 'job.updated', `private-job.${job.id}`);
    await uploadTo(cc, job);
    const event = await updated;
    assert.equal(event.job.id, job.id);
    assert.equal(event.job.status, 'processing');
  });

  it('two API nodes on one Redis: a socket on node A hears of a job created and ended through node B', async () => {
    const viaB = sdk3(other.baseUrl);
    const socket = track(openSocket(server.baseUrl));
    const me = (await viaB.users.me()) as Obj;
    assert.equal((await subscribe(socket, `private-user.${me.id}.jobs`, TEST_KEY)).ok, true);
    const created = new Promise<Obj>((resolve) => socket.on('job.created', (_channel: string, data: Obj) => resolve(data)));
    const job = await uploadJob(viaB);
    assert.equal((await created).job.id, job.id);
    assert.equal((await subscribe(socket, `private-job.${job.id}`, TEST_KEY)).ok, true);
    const finished = nextEvent(socket, 'job.finished', `private-job.${job.id}`);
    await uploadTo(viaB, job);
    assert.equal((await finished).job.status, 'finished');
  });

  it('Node SDK 2.3.7 (socket.io-client 4): jobs.subscribeEvent gets job.finished', async () => {
    const cc = sdk2(server.baseUrl);
    const socket = track(pointSdkSocket(cc, server.baseUrl));
    const job = (await cc.jobs.create({ tasks: { 'up-it': { operation: 'import/upload' }, 'out-it': { operation: 'export/url', input: 'up-it' } } })) as Obj;
    const finished = sdkEvent((cb) => cc.jobs.subscribeEvent(job.id, 'finished', cb as never));
    assert.equal((await subscribe(socket, `private-job.${job.id}`, TEST_KEY)).ok, true);
    await uploadTo(sdk3(server.baseUrl), job);
    assert.equal((await finished).job.id, job.id);
  });

  it('Engine.IO 3 clients (Node SDK 2.2.x, socket.io-client 2) get a v3 handshake (allowEIO3), subscribe and hear job.finished', async () => {
    // No socket.io-client 2 is installed: this speaks its wire protocol by hand, over polling.
    const response = await fetch(`${server.baseUrl}/socket.io/?EIO=3&transport=polling`);
    assert.equal(response.status, 200);
    // EIO3 polling frames each packet as <length>:<packet>; "0" is the open packet.
    const body = await response.text();
    assert.match(body, /^\d+:0\{"sid":"[^"]+","upgrades":\["websocket"\]/);
    const sid = (JSON.parse(eio3Packets(body)[0]?.slice(1) ?? '{}') as Obj).sid as string;
    const url = `${server.baseUrl}/socket.io/?EIO=3&transport=polling&sid=${sid}`;
    const cc = sdk3(server.baseUrl);
    const job = await uploadJob(cc);
    // Until the namespace's connect packet ("40") has come, the server drops events.
    const received: string[] = [...eio3Packets(body)];
    for (let i = 0; i < 20 && !received.includes('40'); i++) received.push(...eio3Packets(await (await fetch(url)).text()));
    assert.ok(received.includes('40'), `no namespace connect in ${JSON.stringify(received)}`);
    // With ack id 1: the answer comes back as "431[...]".
    const packet = `421${JSON.stringify(['subscribe', { channel: `private-job.${job.id}`, auth: { headers: { Authorization: `Bearer ${TEST_KEY}` } } }])}`;
    const posted = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: `${packet.length}:${packet}` });
    assert.equal(posted.status, 200, await posted.text());
    let ack: string | undefined;
    for (let i = 0; i < 20 && ack === undefined; i++) ack = eio3Packets(await (await fetch(url)).text()).find((p) => p.startsWith('431'));
    assert.deepEqual(JSON.parse(ack?.slice(3) ?? '[]'), [{ ok: true, channel: `private-job.${job.id}` }]);
    await uploadTo(cc, job);
    let finished: unknown[] | undefined;
    for (let i = 0; i < 20 && finished === undefined; i++) {
      for (const p of eio3Packets(await (await fetch(url)).text())) {
        const event = p.startsWith('42') ? (JSON.parse(p.slice(2)) as unknown[]) : undefined;
        if (event?.[0] === 'job.finished') finished = event;
      }
    }
    assert.equal(finished?.[1], `private-job.${job.id}`);
    assert.equal((finished?.[2] as Obj).job.status, 'finished');
  });
});

describe('API v2 real-time API turned off (SOCKET_IO=false)', () => {
  it('serves no /socket.io/', async () => {
    const server = await startTestServer({ worker: false, env: { SOCKET_IO: 'false' } });
    try {
      const response = await fetch(`${server.baseUrl}/socket.io/?EIO=4&transport=polling`);
      assert.equal(response.status, 404);
    } finally {
      await server.stop();
    }
  });
});

describe('API v2 real-time API at shutdown', () => {
  it('closing the app disconnects its sockets instead of waiting for them', async () => {
    const server = await startTestServer({ worker: false });
    const socket = openSocket(server.baseUrl);
    try {
      const me = (await sdk3(server.baseUrl).users.me()) as Obj;
      assert.equal((await subscribe(socket, `private-user.${me.id}.jobs`, TEST_KEY)).ok, true);
      const reason = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      const started = Date.now();
      await server.stop();
      assert.equal(await reason, 'io server disconnect');
      assert.ok(Date.now() - started < 20_000, `stop took ${Date.now() - started} ms`);
    } finally {
      socket.close();
    }
  });
});

describe('API v2 real-time API and the failed-key throttle', () => {
  it('unknown keys sent over a socket count against the address: past the limit even a good key is refused, on sockets and HTTP', async () => {
    const server = await startTestServer({ worker: false, env: { KEY_FAILURE_LIMIT: '2' } });
    const socket = openSocket(server.baseUrl);
    try {
      const me = (await sdk3(server.baseUrl).users.me()) as Obj;
      const channel = `private-user.${me.id}.jobs`;
      for (const key of ['wrong-key-0001', 'wrong-key-0002']) assert.match((await subscribe(socket, channel, key)).message ?? '', /invalid/);
      const held = await subscribe(socket, channel, TEST_KEY);
      assert.equal(held.ok, false);
      assert.match(held.message ?? '', /Too many requests with an invalid API key/);
      const http = await fetch(`${server.baseUrl}/v2/users/me`, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
      assert.equal(http.status, 429);
    } finally {
      socket.close();
      await server.stop();
    }
  });
});
