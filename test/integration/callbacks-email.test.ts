// Callbacks and e-mail notices of ended processes, through the API against a real callback
// receiver and a real SMTP server on loopback: what is sent, when it is retried, what the
// private-address guard and the e-mail settings refuse.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import sharp from 'sharp';
import { QUEUES } from '../../src/core/jobs.js';
import { startCallbackTarget, type CallbackTarget } from '../helpers/callback-target.js';
import { CORRUPT_PNG, SVG } from '../helpers/fixtures.js';
import { auth, json, postJson, type JsonResponse } from '../helpers/http.js';
import { writeKeysFile, type TempJsonFile } from '../helpers/keys-file.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { until } from '../helpers/wait.js';

const DELAY_MS = 300;
const ATTEMPTS = 4;
const MAIL_KEY = 'mail-key-cccccccc';
const OWNER_ADDRESS = 'owner@example.com';

async function createProcess(server: TestServer, key: string, body: Record<string, unknown> = { inputformat: 'svg', outputformat: 'png' }): Promise<string> {
  const created = await postJson(`${server.baseUrl}/process`, body, auth(key));
  assert.equal(created.status, 200, JSON.stringify(created.body));
  // By id: a server with PUBLIC_URL names another host in its URLs.
  return `${server.baseUrl}/process/${String(created.body['id'])}`;
}

/** Starts an SVG to PNG conversion (or a failing one with `corrupt`) and waits for its end. */
async function convert(server: TestServer, extra: Record<string, unknown>, options: { key?: string; corrupt?: boolean } = {}): Promise<JsonResponse> {
  const input = options.corrupt === true ? { inputformat: 'png', outputformat: 'jpg' } : { inputformat: 'svg', outputformat: 'png' };
  const url = await createProcess(server, options.key ?? TEST_KEY, input);
  const file = options.corrupt === true ? { input: 'base64', file: CORRUPT_PNG.toString('base64'), filename: 'broken.png' } : { input: 'raw', file: SVG.toString(), filename: 'drawing.svg' };
  return postJson(url, { ...file, outputformat: input.outputformat, wait: true, ...extra });
}

/** A PNG whose AVIF encode takes a second or two, to act on a running conversion. */
const slowInput = (): Promise<Buffer> =>
  sharp({ create: { width: 600, height: 600, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png({ compressionLevel: 1 }).toBuffer();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('callbacks and e-mail', () => {
  let server: TestServer;
  let target: CallbackTarget;
  let smtp: SmtpSink;
  let keys: TempJsonFile;
  before(async () => {
    target = await startCallbackTarget();
    smtp = await startSmtpSink();
    keys = await writeKeysFile([{ key: MAIL_KEY, name: 'Mail owner', email: OWNER_ADDRESS }]);
    server = await startTestServer({
      env: {
        ALLOW_PRIVATE_URLS: 'true',
        CALLBACK_ATTEMPTS: String(ATTEMPTS),
        CALLBACK_DELAY_MS: String(DELAY_MS),
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Converter <converter@example.net>',
        KEYS_FILE: keys.path,
        // Any address may be mailed here (the default is the key's own address only).
        EMAIL_ALLOW_ANY_ADDRESS: 'true',
        // One conversion at a time: a callback delivered inside the job would hold the only slot.
        WORKER_CONCURRENCY: '1',
        WORKER_LIGHT_CONCURRENCY: '1',
      },
    });
  });
  after(async () => {
    await server.stop();
    await target.stop();
    await smtp.stop();
    await keys.remove();
  });

  it('calls back with id, the process url and step=finished', async () => {
    const done = await convert(server, { callback: `${target.baseUrl}/done` });
    assert.equal(done.body['step'], 'finished');
    await until(async () => target.hits('/done').length === 1, 5000, 'the callback');
    const hit = target.hits('/done')[0];
    assert.equal(hit?.query.get('id'), done.body['id']);
    assert.equal(hit?.query.get('url'), done.body['url']);
    assert.equal(hit?.query.get('step'), 'finished');
    assert.deepEqual([...(hit?.query.keys() ?? [])], ['id', 'url', 'step']);
  });

  it('keeps a query the callback URL already has, appending with &', async () => {
    const done = await convert(server, { callback: `${target.baseUrl}/with-query?token=x` });
    await until(async () => target.hits('/with-query').length === 1, 5000, 'the callback');
    const hit = target.hits('/with-query')[0];
    assert.match(hit?.url ?? '', /^\/with-query\?token=x&id=/);
    assert.equal(hit?.query.get('token'), 'x');
    assert.equal(hit?.query.get('id'), done.body['id']);
    assert.equal(hit?.query.get('step'), 'finished');
  });

  it('calls back with step=error when the conversion failed', async () => {
    const failed = await convert(server, { callback: `${target.baseUrl}/failed` }, { corrupt: true });
    assert.equal(failed.body['step'], 'error');
    await until(async () => target.hits('/failed').length === 1, 5000, 'the callback');
    assert.equal(target.hits('/failed')[0]?.query.get('step'), 'error');
    assert.equal(target.hits('/failed')[0]?.query.get('id'), failed.body['id']);
  });

  it('retries after 500s, CALLBACK_DELAY_MS apart, and stops once delivered', async () => {
    target.script('/flaky', { statuses: [500, 500, 200] });
    await convert(server, { callback: `${target.baseUrl}/flaky` });
    await until(async () => target.hits('/flaky').length === 3, 8000, 'three callback attempts');
    const times = target.hits('/flaky').map((h) => h.at);
    for (let i = 1; i < times.length; i += 1) {
      const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
      assert.ok(gap >= DELAY_MS - 50 && gap < DELAY_MS + 2500, `gap ${i}: ${gap} ms`);
    }
    await sleep(3 * DELAY_MS + 300);
    assert.equal(target.hits('/flaky').length, 3, 'no attempt after the delivered one');
    assert.ok(target.hits('/flaky').every((h) => h.query.get('step') === 'finished'));
  });

  it('gives up after CALLBACK_ATTEMPTS attempts when the target always fails', async () => {
    target.script('/down', { statuses: [503] });
    await convert(server, { callback: `${target.baseUrl}/down` });
    await until(async () => target.hits('/down').length >= ATTEMPTS, 10000, `${ATTEMPTS} callback attempts`);
    await sleep(3 * DELAY_MS + 300);
    assert.equal(target.hits('/down').length, ATTEMPTS);
  });

  it('does not retry a 404 answer', async () => {
    target.script('/gone', { statuses: [404, 200] });
    await convert(server, { callback: `${target.baseUrl}/gone` });
    await until(async () => target.hits('/gone').length === 1, 5000, 'the callback');
    await sleep(3 * DELAY_MS + 300);
    assert.equal(target.hits('/gone').length, 1);
  });

  it('delivers to a target that was down at first (network error, then retried)', async () => {
    const port = await freePort();
    const done = await convert(server, { callback: `http://127.0.0.1:${port}/late` });
    const queue = new Queue(QUEUES.notification, { connection: server.core.connect(), prefix: server.config.redisPrefix });
    let late: CallbackTarget | undefined;
    try {
      const jobId = `${String(done.body['id'])}-callback`;
      await until(async () => ((await queue.getJob(jobId))?.attemptsMade ?? 0) >= 1, 5000, 'a first, refused attempt');
      late = await startCallbackTarget(port);
      const lateTarget = late;
      await until(async () => lateTarget.hits('/late').length === 1, 5000, 'the retried callback');
      assert.equal(lateTarget.hits('/late')[0]?.query.get('id'), done.body['id']);
    } finally {
      await queue.close();
      await late?.stop();
    }
  });

  it('delivers to a host name that resolves to loopback when ALLOW_PRIVATE_URLS is on', async () => {
    // The positive control of the guard test below: the same kind of URL does arrive here.
    await convert(server, { callback: `http://localhost:${target.port}/by-name` });
    await until(async () => target.hits('/by-name').length === 1, 5000, 'the callback by host name');
  });

  it('finishes the conversion without waiting for a slow callback target', async () => {
    target.script('/slow', { delayMs: 3000 });
    const first = await convert(server, { callback: `${target.baseUrl}/slow` });
    assert.equal(first.body['step'], 'finished');
    await until(async () => target.hits('/slow').length === 1, 5000, 'the slow callback to arrive');
    // The only worker slot is free while the callback is still unanswered.
    const second = await convert(server, {});
    assert.equal(second.body['step'], 'finished');
    const hit = target.hits('/slow')[0];
    assert.equal(hit?.answeredAt, undefined, 'the second conversion finished before the callback was answered');
    assert.equal((await json(server.abs(String(first.body['url'])))).body['step'], 'finished');
  });

  it('calls back with step=error when a running process is cancelled; a deleted one is not notified', async () => {
    const startSlow = async (path: string): Promise<string> => {
      const url = await createProcess(server, TEST_KEY, { inputformat: 'png', outputformat: 'avif' });
      const started = await postJson(url, { input: 'base64', file: (await slowInput()).toString('base64'), filename: 'noise.png', outputformat: 'avif', callback: `${target.baseUrl}${path}` });
      assert.equal(started.status, 200);
      await until(async () => (await json(url)).body['step'] === 'convert', 10000, 'step convert');
      return url;
    };
    const cancelled = await startSlow('/cancelled');
    assert.equal((await json(`${cancelled}/cancel`)).status, 200);
    await until(async () => target.hits('/cancelled').length === 1, 5000, 'the callback of the cancelled process');
    assert.equal(target.hits('/cancelled')[0]?.query.get('step'), 'error');
    const deleted = await startSlow('/deleted');
    assert.equal((await json(deleted, { method: 'DELETE' })).status, 200);
    await sleep(3 * DELAY_MS + 500);
    assert.equal(target.hits('/deleted').length, 0);
  });

  it("email=true mails the key's own address: what finished, with the process URL", async () => {
    const done = await convert(server, { email: true }, { key: MAIL_KEY });
    assert.equal(done.body['step'], 'finished');
    const mail = await smtp.mailTo(OWNER_ADDRESS);
    assert.deepEqual(mail.to, [OWNER_ADDRESS]);
    assert.equal(mail.from, 'converter@example.net');
    assert.match(mail.subject, /drawing\.svg.* finished/);
    assert.match(mail.text, /drawing\.svg.* has finished/);
    assert.ok(mail.text.includes(server.abs(String(done.body['url']))), mail.text);
  });

  it('email=<address> mails that address; a failure says it failed', async () => {
    const failed = await convert(server, { email: 'someone@example.org' }, { corrupt: true });
    assert.equal(failed.body['step'], 'error');
    const mail = await smtp.mailTo('someone@example.org');
    assert.match(mail.subject, /broken\.png.* failed/);
    assert.ok(mail.text.includes(String(failed.body['message'])), mail.text);
    assert.ok(mail.text.includes(server.abs(String(failed.body['url']))), mail.text);
  });

  it('refuses email=true for a key without an address, and a malformed address, with 400', async () => {
    const url = await createProcess(server, TEST_KEY);
    const own = await postJson(url, { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png', email: true });
    assert.equal(own.status, 400);
    assert.match(String(own.body['error']), /email=true needs an e-mail address/);
    const malformed = await postJson(url, { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png', email: 'not-an-address' });
    assert.equal(malformed.status, 400);
    assert.match(String(malformed.body['error']), /not an e-mail address/);
    // Refused starts leave the process startable.
    const started = await postJson(url, { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png', wait: true });
    assert.equal(started.body['step'], 'finished');
  });
});

describe('callbacks and e-mail: what the server settings refuse', () => {
  let strict: TestServer;
  let noSmtp: TestServer;
  let target: CallbackTarget;
  let smtp: SmtpSink;
  let keys: TempJsonFile;
  before(async () => {
    target = await startCallbackTarget();
    smtp = await startSmtpSink();
    keys = await writeKeysFile([{ key: MAIL_KEY, email: OWNER_ADDRESS }]);
    // No ALLOW_PRIVATE_URLS; EMAIL_ALLOW_ANY_ADDRESS unset: by default e-mail goes only to the key's own address; public behind https.
    strict = await startTestServer({
      env: { CALLBACK_DELAY_MS: String(DELAY_MS), SMTP_URL: smtp.url, KEYS_FILE: keys.path, PUBLIC_URL: 'https://convert.example.com' },
    });
    noSmtp = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } });
  });
  after(async () => {
    await strict.stop();
    await noSmtp.stop();
    await target.stop();
    await smtp.stop();
    await keys.remove();
  });

  it('refuses a callback to 127.0.0.1 without ALLOW_PRIVATE_URLS; nothing is sent', async () => {
    const url = await createProcess(strict, TEST_KEY);
    const refused = await postJson(url, { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png', callback: `${target.baseUrl}/private` });
    assert.equal(refused.status, 400);
    assert.equal(refused.body['code'], 400);
    assert.match(String(refused.body['error']), /private or loopback address.*ALLOW_PRIVATE_URLS/);
    await sleep(500);
    assert.equal(target.hits('/private').length, 0);
  });

  it('does not deliver to a host name that resolves to loopback without ALLOW_PRIVATE_URLS', async () => {
    const done = await convert(strict, { callback: `http://localhost:${target.port}/private-name` });
    assert.equal(done.body['step'], 'finished');
    await sleep(3 * DELAY_MS + 700);
    assert.equal(target.hits('/private-name').length, 0);
  });

  it('converts when email is asked on a server without SMTP_URL, and the status says no mail is sent', async () => {
    const url = await createProcess(noSmtp, TEST_KEY);
    const done = await postJson(url, { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png', email: 'someone@example.org', wait: true });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body['step'], 'finished');
    assert.match(String(done.body['notice']), /No e-mail notice will be sent: this server has no SMTP configured \(the operator sets SMTP_URL\)/);
    assert.equal((await json<Record<string, unknown>>(url)).body['notice'], done.body['notice']);
  });

  it('by default (EMAIL_ALLOW_ANY_ADDRESS unset), refuses another address with 400 but mails the own one, linking https', async () => {
    const url = await createProcess(strict, MAIL_KEY);
    const start = { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png' };
    const refused = await postJson(url, { ...start, email: 'stranger@example.org' });
    assert.equal(refused.status, 400);
    assert.match(String(refused.body['error']), /only the API key's own address/);
    const own = await postJson(url, { ...start, email: true, wait: true });
    assert.equal(own.body['step'], 'finished');
    const mail = await smtp.mailTo(OWNER_ADDRESS);
    assert.deepEqual(mail.to, [OWNER_ADDRESS]);
    // The link in the mail keeps the scheme of PUBLIC_URL.
    assert.ok(mail.text.includes(`https://convert.example.com/process/${String(own.body['id'])}`), mail.text);
    assert.equal(smtp.mails.filter((m) => m.to.includes('stranger@example.org')).length, 0);
  });
});
