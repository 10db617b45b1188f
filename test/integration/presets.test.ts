// Presets through the API: CRUD per key, the merge at start (explicit converteroptions win, the
// preset's output format when none is given), unknown presets, PRESETS_FILE presets shared by
// every key, and invalid preset bodies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp, { type Metadata } from 'sharp';
import { SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { writeTempJson, type TempJsonFile } from '../helpers/keys-file.js';
import { OTHER_KEY, startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

const SHARED = { id: 'web-thumb', name: 'Web thumbnail', converteroptions: { resize: '30x20', quality: 40 }, outputformat: 'webp' };

describe('presets', () => {
  let server: TestServer;
  let presetsFile: TempJsonFile;
  before(async () => {
    presetsFile = await writeTempJson('presets.json', [SHARED]);
    server = await startTestServer({ env: { PRESETS_FILE: presetsFile.path } });
  });
  after(async () => {
    await server.stop();
    await presetsFile.remove();
  });

  const presets = (path = ''): string => `${server.baseUrl}/presets${path}`;
  const createPreset = async (body: Record<string, unknown>, key = TEST_KEY): Promise<Record<string, unknown>> => {
    const created = await postJson(presets(), body, auth(key));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return created.body;
  };
  const ids = async (key: string): Promise<string[]> => {
    const listed = await json<Array<{ id: string }>>(presets(), { headers: auth(key) });
    assert.equal(listed.status, 200);
    return listed.body.map((p) => p.id);
  };

  /** Creates a process and starts it with the SVG fixture and `start`; waits for the end. */
  const start = async (create: Record<string, unknown>, startParams: Record<string, unknown>, key = TEST_KEY) => {
    const created = await postJson(`${server.baseUrl}/process`, create, auth(key));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const url = server.abs(String(created.body['url']));
    return { url, response: await postJson(url, { input: 'raw', file: SVG.toString(), filename: 'drawing.svg', wait: true, ...startParams }) };
  };
  const download = async (status: Record<string, unknown>): Promise<Metadata> => {
    const response = await fetch(server.abs(String((status['output'] as Record<string, unknown>)['url'])));
    assert.equal(response.status, 200);
    return sharp(Buffer.from(await response.arrayBuffer())).metadata();
  };
  const options = (status: Record<string, unknown>): Record<string, unknown> => (status['converter'] as { options: Record<string, unknown> }).options;

  it("creates, lists, reads and deletes a key's own preset", async () => {
    const preset = await createPreset({ name: 'Small JPEG', converteroptions: { quality: 30, resize: '30x20' }, outputformat: 'JPG' });
    assert.match(String(preset['id']), /^[A-Za-z0-9_-]{6,64}$/);
    assert.deepEqual(preset, { id: preset['id'], name: 'Small JPEG', converteroptions: { quality: 30, resize: '30x20' }, inputformat: null, outputformat: 'jpg', shared: false });
    const id = String(preset['id']);
    assert.ok((await ids(TEST_KEY)).includes(id));
    const read = await json(presets(`/${id}`), { headers: auth() });
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, preset);
    const deleted = await json(presets(`/${id}`), { method: 'DELETE', headers: auth() });
    assert.deepEqual([deleted.status, deleted.body], [200, { message: 'Preset was deleted' }]);
    assert.equal((await json(presets(`/${id}`), { headers: auth() })).status, 404);
    assert.equal((await json(presets(`/${id}`), { method: 'DELETE', headers: auth() })).status, 404);
    assert.ok(!(await ids(TEST_KEY)).includes(id));
  });

  it('accepts a form-encoded preset body, as the v1 clients send parameters', async () => {
    const created = await json(presets(), {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Form+preset&converteroptions%5Bquality%5D=55&outputformat=webp',
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.deepEqual([created.body['name'], created.body['converteroptions'], created.body['outputformat']], ['Form preset', { quality: '55' }, 'webp']);
  });

  it('hides a preset from another key, which can neither read nor delete it (404)', async () => {
    const id = String((await createPreset({ name: 'Mine', converteroptions: { quality: 10 } }))['id']);
    assert.ok(!(await ids(OTHER_KEY)).includes(id));
    const read = await json(presets(`/${id}`), { headers: auth(OTHER_KEY) });
    assert.deepEqual([read.status, read.body['code']], [404, 404]);
    const deleted = await json(presets(`/${id}`), { method: 'DELETE', headers: auth(OTHER_KEY) });
    assert.deepEqual([deleted.status, deleted.body['code']], [404, 404]);
    assert.equal((await json(presets(`/${id}`), { headers: auth() })).status, 200, 'still there for its owner');
    // Nor can another key start a conversion with it.
    const { response } = await start({ inputformat: 'svg', outputformat: 'png' }, { outputformat: 'png', preset: id }, OTHER_KEY);
    assert.equal(response.status, 400);
  });

  it('merges the preset under explicit converteroptions: explicit quality wins, the preset resize stays', async () => {
    const id = String((await createPreset({ name: 'Thumb', converteroptions: { quality: 30, resize: '30x20' } }))['id']);
    const merged = (await start({ inputformat: 'svg', outputformat: 'jpg' }, { outputformat: 'jpg', preset: id, converteroptions: { quality: 80 } })).response;
    assert.equal(merged.body['step'], 'finished', JSON.stringify(merged.body));
    assert.equal(options(merged.body)['quality'], 80);
    assert.equal(options(merged.body)['resize'], '30x20');
    const meta = await download(merged.body);
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 30, 20]);
    const presetOnly = (await start({ inputformat: 'svg', outputformat: 'jpg' }, { outputformat: 'jpg', preset: id })).response;
    assert.equal(options(presetOnly.body)['quality'], 30);
  });

  it("uses the preset's output format when the start gives none; an explicit one wins", async () => {
    const id = String((await createPreset({ name: 'As JPEG', converteroptions: { resize: '30x20' }, outputformat: 'jpg' }))['id']);
    const fromPreset = (await start({ inputformat: 'svg' }, { preset: id })).response;
    assert.equal(fromPreset.body['step'], 'finished', JSON.stringify(fromPreset.body));
    assert.equal((fromPreset.body['converter'] as Record<string, unknown>)['format'], 'jpg');
    assert.equal((fromPreset.body['output'] as Record<string, unknown>)['ext'], 'jpg');
    assert.equal((await download(fromPreset.body)).format, 'jpeg');
    const explicit = (await start({ inputformat: 'svg' }, { preset: id, outputformat: 'png' })).response;
    assert.equal((explicit.body['output'] as Record<string, unknown>)['ext'], 'png');
  });

  it('answers 400 naming an unknown preset, and the process stays startable', async () => {
    const { url, response } = await start({ inputformat: 'svg', outputformat: 'png' }, { outputformat: 'png', preset: 'no-such-preset' });
    assert.equal(response.status, 400);
    assert.equal(response.body['code'], 400);
    assert.match(String(response.body['error']), /Unknown preset "no-such-preset"\. GET \/presets lists/);
    const retried = await postJson(url, { input: 'raw', file: SVG.toString(), filename: 'drawing.svg', outputformat: 'png', wait: true });
    assert.equal(retried.body['step'], 'finished');
  });

  it('shows PRESETS_FILE presets to every key, lets every key use them, and refuses to delete them', async () => {
    for (const key of [TEST_KEY, OTHER_KEY]) {
      assert.ok((await ids(key)).includes(SHARED.id), `listed for ${key}`);
      const read = await json(presets(`/${SHARED.id}`), { headers: auth(key) });
      assert.deepEqual(read.body, { ...SHARED, inputformat: null, shared: true });
      const deleted = await json(presets(`/${SHARED.id}`), { method: 'DELETE', headers: auth(key) });
      assert.equal(deleted.status, 400);
      assert.match(String(deleted.body['error']), /PRESETS_FILE and cannot be deleted/);
    }
    assert.ok((await ids(TEST_KEY)).includes(SHARED.id), 'still listed');
    const used = (await start({ inputformat: 'svg' }, { preset: SHARED.id }, OTHER_KEY)).response;
    assert.equal(used.body['step'], 'finished', JSON.stringify(used.body));
    const meta = await download(used.body);
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 30, 20]);
  });

  it('refuses an invalid preset body with 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ converteroptions: { quality: 5 } }, /needs a name/],
      [{ name: '   ' }, /needs a name/],
      [{ name: 'x'.repeat(201) }, /needs a name of 1 to 200 characters/],
      [{ name: 'Bad options', converteroptions: 'quality=5' }, /converteroptions must be an object/],
      [{ name: 'Bad options', converteroptions: [5] }, /converteroptions must be an object/],
      [{ name: 'Bad format', outputformat: '../etc' }, /outputformat must be a format name/],
    ];
    for (const [body, message] of cases) {
      const refused = await postJson(presets(), body, auth());
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body['code'], 400);
      assert.match(String(refused.body['error']), message);
    }
    assert.equal((await postJson(presets(), { name: 'No key' })).status, 401);
    assert.equal((await json(presets(), { headers: auth('unknown-key-zzzzzzzz') })).status, 403);
  });
});
