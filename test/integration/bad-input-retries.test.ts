// Bad input is never retried and keeps its message: the process ends in `error` after one attempt
// with what was wrong, never as "Internal error" after JOB_ATTEMPTS tries.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { convertFile } from '../helpers/convert.js';
import { makeVideo, requireFfmpeg } from '../helpers/media.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

type Line = Record<string, unknown> & { msg?: string };

describe('bad input found by a converter', () => {
  let server: TestServer;
  let dir: string;
  const text: string[] = [];
  const lines = (): Line[] => text.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
  before(async () => {
    await requireFfmpeg();
    server = await startTestServer({ env: { FFMPEG_ALLOW_COMMAND: 'true', JOB_ATTEMPTS: '3' }, logTo: { write: (chunk: string) => void text.push(chunk) } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-bad-input-'));
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('ends after one attempt with a 400 that says what is wrong with the raw command', async () => {
    const video = path.join(dir, 'clip.mp4');
    await makeVideo(video, { seconds: 1, size: '160x120' });
    const { status } = await convertFile(server, video, { inputformat: 'mp4', outputformat: 'webm', converteroptions: { command: '-i {INPUTFILE} -metadata title="open {OUTPUTFILE}' } }, dir);
    assert.equal(status.body['step'], 'error');
    assert.equal(status.status, 400);
    assert.match(String(status.body['message']), /converteroptions\[command\] has an unclosed " quote/);
    const id = String(status.body['id']);
    const attempts = lines().filter((l) => l.msg === 'conversion started' && l['processId'] === id);
    assert.equal(attempts.length, 1, 'bad input is not retried');
  });
});
