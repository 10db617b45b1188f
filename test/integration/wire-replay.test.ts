// Replays, over real HTTP, the exact request shapes of the v1 clients that cannot run here
// (wire-spec section 10: R1-R13, P1-P4, H1-H4), against a real server, Redis and worker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { SVG, multiPageTiff, pngOf } from '../helpers/fixtures.js';
import { auth } from '../helpers/http.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { assertStatusShape, multipart, pollUntilFinal, send, stateAfter, STEPS, type WireReply } from '../helpers/wire.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const EXPIRES = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
/** The regex RB-E uses to find the file name in Content-Disposition. */
const RB_E_FILENAME = /filename=("?)(.+)\1/;

describe('wire replay of v1 clients that cannot run here', () => {
  let server: TestServer;
  let fixtures: FixtureServer;
  let png: Buffer;
  /** Every response of this file, for the P4/H2 checks at the end. */
  const log: WireReply[] = [];
  const call = (url: string, init: RequestInit = {}) => send(url, init, log);
  const api = (path: string) => `${server.baseUrl}${path}`;
  const fixture = (path: string) => `${fixtures.baseUrl}${path}`;
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    call(url, { method: 'POST', headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body) });
  const createProcess = async (body: Record<string, unknown>) => {
    const created = await post(api('/process'), { apikey: TEST_KEY, ...body });
    assert.equal(created.status, 200, created.text);
    return created.body as { url: string; id: string; host: string; expires: string };
  };
  const isJpeg = async (bytes: Buffer) => assert.equal((await sharp(bytes).metadata()).format, 'jpeg');

  before(async () => {
    [server, fixtures, png] = await Promise.all([startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } }), startFixtureServer(), pngOf(40, 30)]);
    fixtures.serve('/in.png', png, 'image/png');
    fixtures.serve('/in.svg', SVG, 'image/svg+xml');
    const { PDFDocument } = await import('pdf-lib');
    for (const [name, pages] of [['/one.pdf', 1], ['/two.pdf', 2]] as const) {
      const doc = await PDFDocument.create();
      for (let i = 0; i < pages; i++) doc.addPage([200, 200]);
      fixtures.serve(name, Buffer.from(await doc.save()), 'application/pdf');
    }
  });
  after(async () => {
    await server.stop();
    await fixtures.stop();
  });

  it('P1 (PY): an invalid input format is a 400 JSON "This conversiontype is not supported!"', async () => {
    const reply = await post(api('/process'), { inputformat: 'invalid', outputformat: 'jpg' }, auth());
    assert.equal(reply.status, 400);
    assert.equal(reply.body.code, 400);
    assert.match(reply.body.error, /^This conversiontype is not supported!/);
  });

  it('R1 (JAVA): JSON create with apikey, multipart start, polling, GET <process>/delete', async () => {
    const created = await createProcess({ inputformat: 'svg', outputformat: 'png' });
    assert.match(created.expires, EXPIRES);
    const form = new FormData();
    form.append('input', 'upload');
    form.append('outputformat', 'png');
    form.append('file', new Blob([SVG]), 'drawing.svg');
    const started = await call(server.abs(created.url), { method: 'POST', body: form });
    assert.equal(started.status, 200, started.text);
    assertStatusShape(started.body);
    const statuses = await pollUntilFinal(server.abs(created.url), log, 5);
    for (const status of [started, ...statuses]) assertStatusShape(status.body);
    const final = statuses.at(-1)!.body;
    assert.equal(final.step, 'finished');
    assert.equal(final.percent, 100);
    assert.equal(final.output.ext, 'png');
    const file = await call(server.abs(final.output.url));
    assert.equal(file.status, 200);
    assert.equal((await sharp(file.bytes).metadata()).width, 120);
    const deleted = await call(`${server.abs(created.url)}/delete`);
    assert.deepEqual([deleted.status, deleted.body], [200, { message: 'Process was deleted' }]);
    assert.equal((await call(server.abs(created.url))).status, 404);
  });

  it('R2 (LARA): create without outputformat, mode info at start with input download, nulls ignored', async () => {
    const created = await createProcess({ inputformat: 'png' });
    const started = await post(server.abs(created.url), { mode: 'info', input: 'download', file: fixture('/in.png'), converteroptions: null, preset: null, output: null, wait: true });
    assert.equal(started.status, 200, started.text);
    assertStatusShape(started.body);
    assert.equal(started.body.step, 'finished');
    assert.equal(typeof started.body.info, 'object');
    assert.equal(started.body.info.width, 40);
    assert.equal(started.body.output.url, undefined, 'info mode finishes without an output url');
  });

  it('R2 (LARA): multipart start with empty-string preset, output and converteroptions', async () => {
    const created = await createProcess({ inputformat: 'png', outputformat: 'jpg' });
    const form = new FormData();
    for (const [name, value] of [['input', 'upload'], ['outputformat', 'jpg'], ['preset', ''], ['output', ''], ['converteroptions', ''], ['wait', 'true']]) form.append(name!, value!);
    form.append('file', new Blob([png], { type: 'image/png' }), 'photo.png');
    const started = await call(server.abs(created.url), { method: 'POST', body: form });
    assert.equal(started.status, 200, started.text);
    assert.equal(started.body.step, 'finished');
    assert.equal(started.body.output.ext, 'jpg');
  });

  it('R2 (LARA): POST /processes?apikey= with body [] lists the processes', async () => {
    const created = await createProcess({ inputformat: 'png', outputformat: 'jpg' });
    const list = await call(api(`/processes?apikey=${TEST_KEY}`), { method: 'POST', headers: JSON_TYPE, body: '[]' });
    assert.equal(list.status, 200, list.text);
    assert.ok(Array.isArray(list.body));
    const mine = list.body.find((p: { id: string }) => p.id === created.id);
    assert.ok(mine, 'the new process is listed');
    assert.deepEqual(Object.keys(mine).sort(), ['endtime', 'host', 'id', 'starttime', 'step', 'url']);
    assert.match(mine.starttime, EXPIRES);
    assert.equal(mine.url, created.url);
  });

  it('R2 (LARA): combine with files as {file, filename} objects, input url, filename, save and wait, nulls ignored', async () => {
    const created = await createProcess({ inputformat: 'pdf', outputformat: 'pdf' });
    const files = [{ file: fixture('/one.pdf'), filename: 'file1.pdf' }, { file: fixture('/two.pdf'), filename: 'file2.pdf' }];
    const body = { mode: 'combine', input: 'url', files, filename: 'merged.pdf', save: true, wait: true, converteroptions: null, preset: null, output: null, timeout: null, callback: null, email: null };
    const started = await post(server.abs(created.url), body);
    assert.equal(started.status, 200, started.text);
    assertStatusShape(started.body);
    assert.equal(started.body.step, 'finished');
    assert.equal(started.body.output.filename, 'merged.pdf');
    for (let i = 0; i < 2; i++) {
      const merged = await call(server.abs(started.body.output.url));
      assert.equal(merged.status, 200, 'save keeps the file for a second download');
      const { PDFDocument } = await import('pdf-lib');
      assert.equal((await PDFDocument.load(merged.bytes)).getPageCount(), 3);
    }
  });

  it('R10 (RB-M): mode=combine form-encoded create and start with files[]= and wait=true', async () => {
    const created = await call(api('/process'), { method: 'POST', headers: FORM_TYPE, body: `apikey=${TEST_KEY}&mode=combine&inputformat=pdf&outputformat=pdf` });
    assert.equal(created.status, 200, created.text);
    const form = `mode=combine&files%5B%5D=${encodeURIComponent(fixture('/two.pdf'))}&files%5B%5D=${encodeURIComponent(fixture('/one.pdf'))}&wait=true`;
    const started = await call(server.abs(created.body.url), { method: 'POST', headers: FORM_TYPE, body: form });
    assert.equal(started.status, 200, started.text);
    assert.equal(started.body.step, 'finished');
    const merged = await call(server.abs(started.body.output.url));
    const { PDFDocument } = await import('pdf-lib');
    assert.equal((await PDFDocument.load(merged.bytes)).getPageCount(), 3);
  });

  it('R3 (RB-E): params only in the query, download=false, multipart POST to upload.url, Content-Disposition', async () => {
    const created = await call(api(`/process?apikey=${TEST_KEY}&inputformat=png&outputformat=`), { method: 'POST' });
    assert.equal(created.status, 200, created.text);
    const started = await call(`${server.abs(created.body.url)}?input=upload&outputformat=jpg&download=false`, { method: 'POST' });
    assert.equal(started.status, 200, started.text);
    assert.equal(started.body.step, 'input');
    assert.match(started.body.upload.url, /^\/\/.+\/upload\//);
    const form = new FormData();
    form.append('file', new Blob([png]), 'raindrops 01.png');
    const uploaded = await call(server.abs(started.body.upload.url), { method: 'POST', body: form });
    assert.equal(uploaded.status, 200, uploaded.text);
    assert.deepEqual(uploaded.body, { file: 'raindrops 01.png', size: png.length, message: 'File saved.' });
    const final = (await pollUntilFinal(server.abs(created.body.url), log)).at(-1)!.body;
    assert.equal(final.step, 'finished');
    const file = await call(server.abs(final.output.url));
    assert.equal(file.status, 200);
    await isJpeg(file.bytes);
    const match = RB_E_FILENAME.exec(file.headers.get('content-disposition') ?? '');
    assert.equal(match?.[2], 'raindrops 01.jpg');
    assert.equal(match?.[2], final.output.filename);
  });

  it('R4 (legacy): GET /process, start with format, link and options[quality]', async () => {
    const created = await call(api(`/process?inputformat=png&outputformat=jpg&apikey=${TEST_KEY}`));
    assert.equal(created.status, 200, created.text);
    const { id, host, url } = created.body;
    assert.equal(host, `127.0.0.1:${server.port}`);
    assert.equal(url, `//${host}/process/${id}`);
    const body = new URLSearchParams({ input: 'download', format: 'jpg', link: fixture('/in.png'), 'options[quality]': '33' });
    const started = await call(server.abs(url), { method: 'POST', headers: FORM_TYPE, body: body.toString() });
    assert.equal(started.status, 200, started.text);
    const final = (await pollUntilFinal(server.abs(url), log)).at(-1)!.body;
    assert.equal(final.step, 'finished', final.message);
    assert.equal(final.output.ext, 'jpg');
    assert.equal(final.converter.options.quality, 33);
    assert.equal(final.input.filename, 'in.png');
  });

  it('R4 (legacy): POST /process?... with an empty body, then GET <process>/cancel', async () => {
    const created = await call(api(`/process?inputformat=png&outputformat=jpg&apikey=${TEST_KEY}`), { method: 'POST', headers: FORM_TYPE, body: '' });
    assert.equal(created.status, 200, created.text);
    const url = server.abs(created.body.url);
    assert.equal((await call(`${url}?input=upload`, { method: 'POST' })).body.step, 'input');
    const cancelled = await call(`${url}/cancel`);
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(typeof cancelled.body.message, 'string');
    const status = await call(url);
    assert.equal(status.body.step, 'error', 'a cancelled process ends');
    assertStatusShape(status.body);
    assert.equal(status.status, status.body.code);
  });

  it('R5 (R): GET /convert with download=true answers 303 with the exact text body', async () => {
    const query = new URLSearchParams({ apikey: TEST_KEY, input: 'download', inputformat: 'png', outputformat: 'jpg', download: 'true', file: fixture('/in.png') });
    const reply = await call(api(`/convert?${query}`));
    assert.equal(reply.status, 303, reply.text);
    const location = reply.headers.get('location') ?? '';
    assert.match(location, /^http:\/\/127\.0\.0\.1:\d+\/download\//);
    assert.equal(reply.text, `See Other. Redirecting to ${location}`);
    assert.equal(reply.text.slice(26), location, 'R strips exactly 26 characters');
    const file = await call(reply.text.slice(26));
    assert.equal(file.status, 200);
    await isJpeg(file.bytes);
  });

  it('R6 (GO-A): form-urlencoded create, JSON start with download "inline" and wait, followed to the bytes', async () => {
    const created = await call(api('/process'), { method: 'POST', headers: FORM_TYPE, body: new URLSearchParams({ apikey: TEST_KEY, inputformat: 'png', outputformat: 'jpg' }).toString() });
    assert.equal(created.status, 200, created.text);
    const url = created.body.url.startsWith('//') ? `http:${created.body.url}` : created.body.url;
    const start = { input: 'download', file: fixture('/in.png'), filename: 'in.png', outputformat: 'jpg', wait: true, download: 'inline' };
    const response = await fetch(url, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(start), redirect: 'follow' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-disposition') ?? '', /^inline; filename="in\.jpg"/);
    await isJpeg(Buffer.from(await response.arrayBuffer()));
  });

  it('R6 (GO-A): /convert multipart with the file part before the text fields, apikey included', async () => {
    const form = new FormData();
    form.append('file', new Blob([png]), 'first.png');
    for (const [name, value] of [['apikey', TEST_KEY], ['input', 'upload'], ['inputformat', 'png'], ['outputformat', 'jpg'], ['wait', 'true'], ['download', 'inline']]) form.append(name!, value!);
    const response = await fetch(api('/convert'), { method: 'POST', body: form, redirect: 'follow' });
    assert.equal(response.status, 200);
    assert.doesNotMatch(response.headers.get('content-type') ?? '', /json/);
    await isJpeg(Buffer.from(await response.arrayBuffer()));
  });

  it('R7 (NET-A): every optional key null and download "false"; expires parses as a date', async () => {
    const created = await createProcess({ inputformat: 'png', outputformat: 'jpg' });
    assert.match(created.expires, EXPIRES);
    assert.ok(!Number.isNaN(Date.parse(created.expires.replace(' ', 'T'))));
    const nulls = Object.fromEntries(['filename', 'tag', 'converteroptions', 'preset', 'timeout', 'email', 'output', 'callback', 'wait', 'save'].map((k) => [k, null]));
    const started = await post(server.abs(created.url), { input: 'download', file: fixture('/in.png'), outputformat: 'jpg', download: 'false', ...nulls });
    assert.equal(started.status, 200, started.text);
    assertStatusShape(started.body);
    const final = (await pollUntilFinal(server.abs(created.url), log)).at(-1)!.body;
    assert.equal(final.step, 'finished', final.message);
  });

  it('R8 (PHP-NT): wait=1 on GET /convert and on a multipart /convert', async () => {
    const query = new URLSearchParams({ apikey: TEST_KEY, input: 'download', inputformat: 'png', outputformat: 'jpg', file: fixture('/in.png'), wait: '1' });
    const viaGet = await call(api(`/convert?${query}`));
    assert.equal(viaGet.status, 200, viaGet.text);
    assert.equal(viaGet.body.step, 'finished');
    const form = new FormData();
    for (const [name, value] of [['apikey', TEST_KEY], ['input', 'upload'], ['inputformat', 'png'], ['outputformat', 'jpg'], ['wait', '1']]) form.append(name!, value!);
    form.append('file', new Blob([png]), 'in.png');
    const viaForm = await call(api('/convert'), { method: 'POST', body: form });
    assert.equal(viaForm.status, 200, viaForm.text);
    assert.equal(viaForm.body.step, 'finished');
  });

  it('R9 (PY-K): a JSON body sent as multipart/form-data without a boundary is read as JSON', async () => {
    const reply = await call(api('/process'), {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data', ...auth() },
      body: JSON.stringify({ inputformat: 'png', outputformat: 'jpg' }),
    });
    assert.equal(reply.status, 200, reply.text);
    assert.match(reply.body.url, /^\/\/.+\/process\//);
  });

  it('R11 (BOT): /v1/user?apikey= and /user?apikey=; /conversiontypes carry group', async () => {
    for (const path of ['/v1/user', '/user']) {
      const user = await call(api(`${path}?apikey=${TEST_KEY}`));
      assert.equal(user.status, 200, user.text);
      assert.deepEqual(Object.keys(user.body).sort(), ['concurrent', 'maxsize', 'maxtime', 'minutes', 'output', 'user']);
      assert.ok(Number.isInteger(user.body.minutes));
      assert.ok(Array.isArray(user.body.output));
    }
    const types = await call(api('/conversiontypes?inputformat=png'));
    assert.equal(types.status, 200);
    assert.ok(types.body.length > 0);
    for (const type of types.body) {
      assert.equal(type.inputformat, 'png');
      assert.equal(type.group, 'image');
      assert.equal(typeof type.note, 'string');
    }
  });

  it('R12 (browser): OPTIONS preflight, multipart form to upload.url and AJAX status carry CORS headers', async () => {
    const created = await createProcess({ inputformat: 'png', outputformat: 'jpg' });
    const started = await post(server.abs(created.url), { input: 'upload' });
    const uploadUrl = server.abs(started.body.upload.url);
    const cors = (reply: WireReply) => {
      assert.equal(reply.headers.get('access-control-allow-origin'), '*');
      for (const method of ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS']) assert.match(reply.headers.get('access-control-allow-methods') ?? '', new RegExp(method));
      assert.match(reply.headers.get('access-control-allow-headers') ?? '', /Content-Type/i);
    };
    const preflight = { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' };
    for (const url of [api('/process'), server.abs(created.url), uploadUrl]) {
      const reply = await call(url, { method: 'OPTIONS', headers: preflight });
      assert.ok(reply.status === 200 || reply.status === 204, `OPTIONS ${url}: HTTP ${reply.status}`);
      cors(reply);
    }
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'picked.png');
    const uploaded = await call(uploadUrl, { method: 'POST', body: form, headers: { origin: 'https://app.example' } });
    assert.equal(uploaded.status, 200, uploaded.text);
    cors(uploaded);
    const status = await call(server.abs(created.url), { headers: { origin: 'https://app.example' } });
    cors(status);
    assert.equal(status.headers.get('cache-control'), 'no-cache, no-store, must-revalidate');
  });

  it('R13: the same routes under /v1 behave identically', async () => {
    const plain = await call(api('/conversiontypes?inputformat=svg'));
    const prefixed = await call(api('/v1/conversiontypes?inputformat=svg'));
    assert.deepEqual(prefixed.body, plain.body);
    const created = await post(api('/v1/process'), { apikey: TEST_KEY, inputformat: 'svg', outputformat: 'jpg' });
    assert.equal(created.status, 200, created.text);
    const started = await post(api(`/v1/process/${created.body.id}`), { input: 'download', file: fixture('/in.svg'), wait: true });
    assert.equal(started.status, 200, started.text);
    assert.equal(started.body.step, 'finished');
    const viaV1 = await call(api(`/v1/process/${created.body.id}`));
    const plainStatus = await call(server.abs(created.body.url));
    assert.deepEqual(viaV1.body, plainStatus.body);
    const list = await call(api(`/v1/processes?apikey=${TEST_KEY}`));
    assert.ok(list.body.some((p: { id: string }) => p.id === created.body.id));
    const converted = await call(api(`/v1/convert?apikey=${TEST_KEY}&input=download&inputformat=svg&outputformat=png&wait=true&file=${encodeURIComponent(fixture('/in.svg'))}`));
    assert.equal(converted.body.step, 'finished');
    const file = await call(server.abs(converted.body.output.url).replace('/download/', '/v1/download/'));
    assert.equal(file.status, 200);
    assert.equal((await sharp(file.bytes).metadata()).format, 'png');
    const deleted = await call(api(`/v1/process/${created.body.id}`), { method: 'DELETE' });
    assert.deepEqual(deleted.body, { message: 'Process was deleted' });
    assert.equal((await call(api(`/v1/process/${created.body.id}`))).status, 404);
  });

  it('P2 (PY): multipart POST to the process URL, params only in the query, no auth header', async () => {
    const created = await post(api('/process'), { inputformat: 'png', outputformat: 'jpg', input: 'upload', wait: true, converteroptions: { quality: 10 } }, auth());
    assert.equal(created.status, 200, created.text);
    const { body, contentType } = multipart([{ name: 'file', filename: 'in.png', data: png }]);
    const query = 'inputformat=png&outputformat=jpg&input=upload&wait=True&converteroptions%5Bquality%5D=10';
    const started = await call(`${server.abs(created.body.url)}?${query}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    assert.equal(started.status, 200, started.text);
    assert.equal(started.body.step, 'finished');
    assert.equal(started.body.output.ext, 'jpg');
    assert.equal(Number(started.body.converter.options.quality), 10);
  });

  it('P3 (PY): start without wait, poll, then download both pages by output.url/<file>', async () => {
    const created = await post(api('/process'), { inputformat: 'tiff', outputformat: 'jpg' }, auth());
    const { body, contentType } = multipart([{ name: 'file', filename: 'scan.tiff', data: await multiPageTiff(2) }]);
    const started = await call(`${server.abs(created.body.url)}?input=upload&outputformat=jpg`, { method: 'POST', headers: { 'content-type': contentType }, body });
    assert.equal(started.status, 200, started.text);
    const final = (await pollUntilFinal(server.abs(created.body.url), log)).at(-1)!.body;
    assert.equal(final.step, 'finished', final.message);
    assert.deepEqual(final.output.files, ['scan-1.jpg', 'scan-2.jpg']);
    for (const name of final.output.files) {
      const file = await call(`${server.abs(final.output.url)}/${name}`);
      assert.equal(file.status, 200, `${name}: ${file.text.slice(0, 100)}`);
      assert.equal((await sharp(file.bytes).metadata()).height, 30);
    }
    assert.deepEqual((await call(server.abs(created.body.url), { method: 'DELETE' })).body, { message: 'Process was deleted' });
  });

  it('H1 (PHP2): PUT to upload.url/rawurlencode(name) with Content-Length; one ?wait=true issued before blocks to the end', async () => {
    const created = await call(api('/process'), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...auth() },
      body: JSON.stringify({ inputformat: 'png', outputformat: 'jpg', input: 'upload', wait: true, converteroptions: { quality: 20 } }),
    });
    assert.equal(created.status, 200, created.text);
    const url = server.abs(created.body.url);
    const started = await post(url, { inputformat: 'png', outputformat: 'jpg', input: 'upload', converteroptions: { quality: 20 } });
    assert.equal(started.body.step, 'input');
    const waited = call(`${url}?wait=true`);
    assert.equal(await stateAfter(waited, 400), 'pending', '?wait=true blocks while the upload has not arrived');
    const name = 'my photo (1).png';
    const uploaded = await call(`${server.abs(started.body.upload.url)}/${encodeURIComponent(name).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`, {
      method: 'PUT',
      headers: { 'content-type': 'image/png', 'content-length': String(png.length) },
      body: png,
    });
    assert.equal(uploaded.status, 200, uploaded.text);
    assert.equal(uploaded.body.file, name);
    const final = await waited;
    assert.equal(final.status, 200);
    assert.equal(final.body.step, 'finished');
    assert.equal(final.body.output.ext, 'jpg');
    assert.equal(final.body.converter.options.quality, 20);
    assert.equal(final.body.input.filename, name);
    for (const reply of [created, started, uploaded, final]) assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
  });

  it('H4 (PHP2 callback handler): the protocol-relative url of a status refreshes and downloads', async () => {
    const converted = await call(api(`/convert?apikey=${TEST_KEY}&input=download&inputformat=png&outputformat=jpg&wait=true&file=${encodeURIComponent(fixture('/in.png'))}`));
    assert.equal(converted.body.step, 'finished');
    const fromCallback: string = converted.body.url;
    assert.match(fromCallback, /^\/\//);
    const refreshed = await call(`http:${fromCallback}`);
    assert.equal(refreshed.body.id, converted.body.id);
    const file = await call(`http:${refreshed.body.output.url}`);
    await isJpeg(file.bytes);
  });

  it('P4/H2: every non-2xx so far had a JSON {error|message, code} body; JSON replies say so; downloads do not', async () => {
    // A few more error classes, so this check sees each kind.
    await call(api('/process/doesnotexist'));
    await call(api('/nope'));
    await call(api('/process'), { method: 'POST', headers: JSON_TYPE, body: '{}' });
    await call(api(`/download/~${'x'.repeat(20)}`));
    const errors = log.filter((r) => r.status >= 400);
    assert.ok(errors.length >= 5, `saw ${errors.length} error replies`);
    assert.ok(errors.some((r) => r.status === 404) && errors.some((r) => r.status === 401) && errors.some((r) => r.status === 400));
    for (const reply of errors) {
      const where = `${reply.method} ${reply.url} -> ${reply.status}`;
      assert.equal(typeof reply.body, 'object', `${where}: JSON body`);
      assert.match(reply.headers.get('content-type') ?? '', /^application\/json/, where);
      assert.equal(reply.body.code, reply.status, `${where}: code`);
      assert.equal(typeof (reply.body.error ?? reply.body.message), 'string', `${where}: message`);
    }
    const downloads = log.filter((r) => r.status === 200 && r.url.includes('/download/'));
    assert.ok(downloads.length >= 5, `saw ${downloads.length} downloads`);
    for (const reply of downloads) {
      assert.doesNotMatch(reply.headers.get('content-type') ?? '', /^application\/json/, reply.url);
      assert.match(reply.headers.get('content-disposition') ?? '', /^(attachment|inline); filename="/, reply.url);
    }
    const jsonReplies = log.filter((r) => !r.url.includes('/download/') && r.status !== 303 && r.method !== 'OPTIONS');
    assert.ok(jsonReplies.length >= 30);
    for (const reply of jsonReplies) {
      assert.match(reply.headers.get('content-type') ?? '', /^application\/json/, `${reply.method} ${reply.url}`);
      assert.notEqual(reply.body, undefined, `${reply.method} ${reply.url}: parses as JSON`);
    }
    assert.ok(log.every((r) => STEPS.includes(r.body?.step) || r.body?.step === undefined));
  });
});
