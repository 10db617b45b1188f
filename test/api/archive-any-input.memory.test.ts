// inputformat "*": /conversiontypes lists the mode=archive entries with it (files of any format),
// so POST /process and the start must take it there, and only there: any other mode refuses it
// with a message naming mode=archive.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth } from '../helpers/http.js';
import { startMemoryApp, type MemoryApp } from '../helpers/memory/app.js';

const JSON_TYPE = { 'content-type': 'application/json' };

describe('inputformat "*" (in memory, app.inject)', () => {
  let server: MemoryApp;
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    server.request({ method: 'POST', url, headers: { ...JSON_TYPE, ...headers }, payload: JSON.stringify(body) });

  before(async () => {
    server = await startMemoryApp();
  });
  after(() => server.stop());

  it('is the inputformat /conversiontypes lists for mode=archive', async () => {
    const listed = (await server.request({ method: 'GET', url: '/conversiontypes' })).json<Array<{ mode?: string; inputformat: string; outputformat: string }>>();
    const archive = listed.filter((e) => e.mode === 'archive');
    assert.ok(archive.length > 0);
    assert.ok(archive.every((e) => e.inputformat === '*'));
  });

  it('creates and starts mode=archive with inputformat "*", as listed', async () => {
    const created = await post('/process', { mode: 'archive', inputformat: '*', outputformat: 'zip' }, auth());
    assert.equal(created.statusCode, 200, created.body);
    const url = created.json<{ url: string }>().url;
    const files = [
      { file: Buffer.from('one').toString('base64'), filename: 'a.txt' },
      { file: Buffer.from('two').toString('base64'), filename: 'b.bin' },
    ];
    const started = await post(url, { mode: 'archive', inputformat: '*', outputformat: 'zip', input: 'base64', files });
    assert.equal(started.statusCode, 200, started.body);
    assert.equal(started.json<{ step: string }>().step, 'wait');
  });

  it('documents the options of the listed entry (GET /conversiontypes/options with inputformat "*")', async () => {
    const reply = await server.request({ method: 'GET', url: '/conversiontypes/options?mode=archive&inputformat=*&outputformat=tar.zst' });
    assert.equal(reply.statusCode, 200, reply.body);
    assert.match(reply.body, /compression_level/);
  });

  it('takes "*" given at create only, the start naming no inputformat', async () => {
    const created = await post('/process', { mode: 'archive', inputformat: '*' }, auth());
    assert.equal(created.statusCode, 200, created.body);
    const started = await post(created.json<{ url: string }>().url, { outputformat: 'tar.gz', input: 'base64', files: [{ file: 'YQ==', filename: 'a.txt' }] });
    assert.equal(started.statusCode, 200, started.body);
  });

  for (const [mode, outputformat] of [['convert', 'jpg'], ['info', undefined], ['extract', undefined], ['compress', undefined], ['combine', 'pdf']] as const) {
    it(`refuses "*" for mode=${mode}, naming mode=archive`, async () => {
      const reply = await post('/process', { mode, inputformat: '*', ...(outputformat === undefined ? {} : { outputformat }) }, auth());
      assert.equal(reply.statusCode, 400, reply.body);
      assert.match(reply.json<{ hint: string }>().hint, /inputformat "\*" \(files of any format\) is only for mode=archive/);
    });
  }

  it('refuses "*" given at the start of a convert process', async () => {
    const created = await post('/process', { outputformat: 'jpg' }, auth());
    assert.equal(created.statusCode, 200, created.body);
    const reply = await post(created.json<{ url: string }>().url, { inputformat: '*', input: 'base64', file: 'YQ==', filename: 'a.png' });
    assert.equal(reply.statusCode, 400, reply.body);
    assert.match(reply.json<{ hint: string }>().hint, /only for mode=archive/);
  });

  it('refuses "*" as an outputformat', async () => {
    const reply = await post('/process', { mode: 'archive', inputformat: '*', outputformat: '*' }, auth());
    assert.equal(reply.statusCode, 400, reply.body);
    assert.match(reply.json<{ hint: string }>().hint, /outputformat "\*"/);
  });
});
