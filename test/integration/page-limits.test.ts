// PDF_MAX_PAGES through the API: an office document, a PDF and a combined result over the limit
// each end in 422 with a message naming the limit; one under it converts.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { convertFile } from '../helpers/convert.js';
import { makePdf, pagedText, pdfPages, requireOfficeTools } from '../helpers/documents.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { auth, json, postJson } from '../helpers/http.js';
import { multipart } from '../helpers/wire.js';

describe('page limits (PDF_MAX_PAGES=4)', () => {
  let server: TestServer;
  let dir: string;
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));

  before(async () => {
    await requireOfficeTools();
    server = await startTestServer({ env: { PDF_MAX_PAGES: '4' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-pages-'));
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a 7-page text document right after loading it, and converts a 3-page one', async () => {
    const long = path.join(dir, 'long.txt');
    await writeFile(long, pagedText(7));
    const refused = await convertFile(server, long, { inputformat: 'txt', outputformat: 'pdf' }, await out());
    assert.equal(refused.status.status, 422, JSON.stringify(refused.status.body));
    assert.match(String(refused.status.body['message']), /the document has 7 pages; this server converts at most 4 \(PDF_MAX_PAGES\)/);
    const short = path.join(dir, 'short.txt');
    await writeFile(short, pagedText(3));
    const converted = await convertFile(server, short, { inputformat: 'txt', outputformat: 'pdf' }, await out());
    assert.equal(converted.status.body['step'], 'finished', String(converted.status.body['message']));
    assert.equal(await pdfPages(converted.files[0] ?? ''), 3);
  });

  it('refuses a 5-page PDF and a combination of 3 + 3 pages', async () => {
    const five = path.join(dir, 'five.pdf');
    await makePdf(five, 5);
    const refused = await convertFile(server, five, { inputformat: 'pdf', outputformat: 'png' }, await out());
    assert.equal(refused.status.status, 422);
    assert.match(String(refused.status.body['message']), /5 pages; this server reads at most 4/);

    const three = path.join(dir, 'three.pdf');
    await makePdf(three, 3);
    const { readFile } = await import('node:fs/promises');
    const data = await readFile(three);
    const created = await postJson(`${server.baseUrl}/process`, { mode: 'combine', outputformat: 'pdf' }, auth());
    const { body, contentType } = multipart([
      { name: 'mode', value: 'combine' },
      { name: 'wait', value: 'true' },
      { name: 'file', filename: 'a.pdf', data },
      { name: 'file', filename: 'b.pdf', data },
    ]);
    const status = await json(server.abs(String(created.body['url'])), { method: 'POST', headers: { 'content-type': contentType }, body });
    assert.equal(status.status, 422, JSON.stringify(status.body));
    assert.match(String(status.body['message']), /combined PDF would have 6 pages; this server makes at most 4/);
  });
});
