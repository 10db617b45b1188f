// The central signature check through the API: an input that does not start like its declared
// format is refused before any tool reads it, with a message that names the file and the fix;
// mode=archive packs files of any content, unchecked.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { auth, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('input signatures', () => {
  let server: TestServer;
  let dir: string;
  let png: Buffer;

  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-signatures-'));
    png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).png().toBuffer();
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a PNG declared as mp4 before ffmpeg sees it', async () => {
    const file = path.join(dir, 'clip.mp4');
    await writeFile(file, png);
    const { status } = await convertFile(server, file, { inputformat: 'mp4', outputformat: 'webm' }, dir);
    assert.equal(status.body['step'], 'error');
    assert.match(String(status.body['message']), /"clip\.mp4" is not a mp4 file .*Check that the file really is mp4 and that inputformat says so/);
  });

  it('refuses binary data declared as csv', async () => {
    const file = path.join(dir, 'table.csv');
    await writeFile(file, png);
    const { status } = await convertFile(server, file, { inputformat: 'csv', outputformat: 'xlsx' }, dir);
    assert.equal(status.body['step'], 'error');
    assert.match(String(status.body['message']), /"table\.csv" is not a csv text file \(it holds binary data\)/);
  });

  it('checks each input of mode=combine by its own extension', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'pdf', outputformat: 'pdf', mode: 'combine' }, auth());
    const files = [
      { file: png.toString('base64'), filename: 'one.png' },
      { file: png.toString('base64'), filename: 'two.docx' },
    ];
    const status = await postJson(server.abs(String(created.body['url'])), { mode: 'combine', input: 'base64', files, wait: true });
    assert.equal(status.body['step'], 'error');
    assert.match(String(status.body['message']), /"two\.docx" is not a docx file/);
  });

  it('packs files of any content with mode=archive', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'mp4', outputformat: 'zip', mode: 'archive' }, auth());
    const files = [{ file: png.toString('base64'), filename: 'not-really.mp4' }];
    const status = await postJson(server.abs(String(created.body['url'])), { mode: 'archive', input: 'base64', files, wait: true });
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
  });
});
