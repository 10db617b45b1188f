// API v2's `command` operation on the real tools: off by default (a 422 naming the setting),
// and, once the operator turns it on, ffmpeg, ffprobe and ImageMagick convert reading
// /input/<task>/<file> and writing /output/, with every way out of those folders refused.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { pngOf } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { makeAudio, probe, requireFfmpeg } from '../helpers/media.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';
import { byName, filesOf, type Obj, runJob } from '../helpers/v2-jobs.js';

const resultOf = (task: Obj): Obj => (task['result'] ?? {}) as Obj;


async function download(file: Obj | undefined): Promise<Buffer> {
  assert.ok(file !== undefined, 'an exported file');
  const response = await fetch(String(file['url']));
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

describe('v2 command operation, disabled (the default)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it('refuses with a 422 that names V2_COMMAND_ENABLED, and discovery says it is off', async () => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks: {
      in: { operation: 'import/raw', file: 'x', filename: 'a.txt' },
      run: { operation: 'command', input: 'in', engine: 'ffmpeg', command: 'ffprobe', arguments: '/input/in/a.txt' },
    } }, auth());
    assert.equal(created.status, 422, JSON.stringify(created.body));
    assert.match(String(created.body['message']), /V2_COMMAND_ENABLED=true/);
    const listed = await json(`${server.baseUrl}/v2/operations?filter[operation]=command&include=options`);
    const items = listed.body['data'] as Obj[];
    assert.deepEqual(items.map((i) => i['engine']).sort(), ['ffmpeg', 'imagemagick']);
    assert.deepEqual(items[0]?.['meta'], { enabled: 'false' });
    assert.ok(((items[0]?.['options'] ?? []) as Obj[]).some((o) => o['name'] === 'arguments'));
  });
});

describe('v2 command operation, enabled', () => {
  let server: TestServer;
  let wav: Buffer;
  before(async () => {
    await requireFfmpeg();
    await requireTools(['convert', 'identify']);
    const file = path.join(os.tmpdir(), `command-test-${process.pid}.wav`);
    await makeAudio(file, 1);
    wav = await readFile(file);
    await rm(file);
    server = await startTestServer({ env: { V2_COMMAND_ENABLED: 'true' } });
  });
  after(async () => server.stop());

  it('runs ffmpeg from /input/<task>/<file> to /output/', async () => {
    const job = await runJob(server, {
      'my-audio': { operation: 'import/base64', file: wav.toString('base64'), filename: 'tone.wav' },
      mp3: { operation: 'command', input: 'my-audio', engine: 'ffmpeg', command: 'ffmpeg', arguments: '-hide_banner -i /input/my-audio/tone.wav -c:a libmp3lame -b:a 64k "/output/tone out.mp3"' },
      out: { operation: 'export/url', input: 'mp3' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    assert.equal(byName(job, 'mp3')['engine'], 'ffmpeg');
    const file = filesOf(byName(job, 'out'))[0];
    assert.equal(file?.['filename'], 'tone out.mp3');
    const local = path.join(os.tmpdir(), `command-out-${process.pid}.mp3`);
    await import('node:fs/promises').then((fs) => download(file).then((b) => fs.writeFile(local, b)));
    const probed = await probe(local);
    await rm(local);
    assert.equal(probed.streams[0]?.codec_name, 'mp3');
  });

  it('captures ffprobe output into result.output', async () => {
    const job = await runJob(server, {
      a: { operation: 'import/base64', file: wav.toString('base64'), filename: 'tone.wav' },
      probe: { operation: 'command', input: 'a', engine: 'ffmpeg', command: 'ffprobe', arguments: '-v error -show_entries stream=codec_name,sample_rate -of json /input/a/tone.wav', capture_output: true },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const output = String(resultOf(byName(job, 'probe'))['output']);
    assert.match(output, /"codec_name": "pcm_s16le"/);
    assert.match(output, /"sample_rate": "44100"/);
    const shown = await runJob(server, {
      a: { operation: 'import/base64', file: wav.toString('base64'), filename: 'tone.wav' },
      probe: { operation: 'command', input: 'a', engine: 'ffmpeg', command: 'ffprobe', arguments: '-hide_banner /input/a/tone.wav', capture_output: true },
    });
    const banner = String(resultOf(byName(shown, 'probe'))['output']);
    assert.match(banner, /Input #0, wav, from '\/input\/a\/tone\.wav'/);
    assert.equal(banner.includes(os.tmpdir()), false, 'no worker folder in the output');
  });

  it('runs ImageMagick convert to resize an image', async () => {
    const job = await runJob(server, {
      img: { operation: 'import/base64', file: (await pngOf(40, 20)).toString('base64'), filename: 'in.png' },
      small: { operation: 'command', input: 'img', engine: 'imagemagick', command: 'convert', arguments: '/input/img/in.png -resize 50% /output/small.png' },
      out: { operation: 'export/url', input: 'small' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const meta = await sharp(await download(filesOf(byName(job, 'out'))[0])).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 20, 10]);
  });

  const refused: Array<[string, Obj, RegExp]> = [
    ['an absolute path outside /input and /output', { engine: 'ffmpeg', command: 'ffmpeg', arguments: '-i /etc/passwd /output/x.mp3' }, /outside \/input and \/output/],
    ['".."', { engine: 'ffmpeg', command: 'ffmpeg', arguments: '-i /input/a/../../../etc/passwd /output/x.mp3' }, /"\.\."/],
    ['an -i of a URL', { engine: 'ffmpeg', command: 'ffmpeg', arguments: '-i http://127.0.0.1/ /output/x.mp3' }, /is a URL/],
    ['the concat protocol', { engine: 'ffmpeg', command: 'ffmpeg', arguments: '-i concat:/input/a/t.wav|/input/a/t.wav /output/x.mp3' }, /ffmpeg protocol/],
    ['an msl: coder', { engine: 'imagemagick', command: 'convert', arguments: 'msl:/input/a/t.wav /output/x.png' }, /ImageMagick coder/],
    ['an @file', { engine: 'imagemagick', command: 'convert', arguments: '@/input/a/t.wav /output/x.png' }, /"@"/],
    ['graphicsmagick', { engine: 'graphicsmagick', command: 'gm', arguments: 'convert /input/a/t.wav /output/x.png' }, /graphicsmagick is not installed/],
  ];
  for (const [what, fields, message] of refused) {
    it(`refuses ${what} with a 422 naming the field`, async () => {
      const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks: { a: { operation: 'import/raw', file: 'x', filename: 't.wav' }, run: { operation: 'command', input: 'a', ...fields } } }, auth());
      assert.equal(created.status, 422, JSON.stringify(created.body));
      assert.match(String(created.body['message']), message);
      assert.ok(Object.keys((created.body['errors'] ?? {}) as Obj).some((k) => k.includes('arguments') || k.includes('engine')), JSON.stringify(created.body));
    });
  }

  it('never reads the files a playlist in /input names (hls and concat are not on the whitelist)', async () => {
    const job = await runJob(server, {
      pl: { operation: 'import/raw', file: '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n/etc/passwd\n#EXT-X-ENDLIST\n', filename: 'list.m3u8' },
      cat: { operation: 'import/raw', file: 'ffconcat version 1.0\nfile /etc/passwd\n', filename: 'list.ffconcat' },
      hls: { operation: 'command', input: 'pl', engine: 'ffmpeg', command: 'ffmpeg', arguments: '-i /input/pl/list.m3u8 -c copy -f data /output/out.bin', ignore_error: true },
      concat: { operation: 'command', input: 'cat', engine: 'ffmpeg', command: 'ffmpeg', arguments: '-f concat -safe 0 -i /input/cat/list.ffconcat -c copy -f data /output/out.bin', ignore_error: true },
    });
    for (const name of ['hls', 'concat']) {
      const task = byName(job, name);
      assert.equal(task['status'], 'error', JSON.stringify(task));
      assert.match(String(task['message']), /^ffmpeg failed: .*(whitelist|Invalid)/i);
      assert.equal(String(task['message']).includes(os.tmpdir()), false, 'no worker folder in the message');
      assert.deepEqual(filesOf(task), []);
    }
  });

  it('passes ";" and "$(...)" to the tool as literal words, never to a shell', async () => {
    const job = await runJob(server, {
      a: { operation: 'import/base64', file: wav.toString('base64'), filename: 'tone.wav' },
      probe: { operation: 'command', input: 'a', engine: 'ffmpeg', command: 'ffprobe', arguments: '-v error /input/a/tone.wav;touch /output/pwned $(touch /output/pwned2)', capture_output: true },
    });
    const task = byName(job, 'probe');
    assert.equal(task['status'], 'error', JSON.stringify(task));
    assert.match(String(task['message']), /ffprobe failed/);
    assert.deepEqual(filesOf(task), []);
  });
});

describe('v2 command operation: the worker checks again when the task runs', () => {
  let server: TestServer;
  let worker: WorkerProcess | undefined;
  before(async () => {
    server = await startTestServer({ worker: false, env: { V2_COMMAND_ENABLED: 'true' } });
  });
  after(async () => {
    await worker?.kill();
    await server.stop();
  });

  const probeJob = (): Obj => ({
    in: { operation: 'import/raw', file: 'x', filename: 'a.txt' },
    run: { operation: 'command', input: 'in', engine: 'ffmpeg', command: 'ffprobe', arguments: '-hide_banner /input/in/a.txt', capture_output: true },
  });

  it('fails a command task on a worker where the operator has turned command off since', async () => {
    worker = await startWorkerProcess(server, { V2_COMMAND_ENABLED: 'false' });
    const job = await runJob(server, probeJob());
    assert.equal(byName(job, 'run')['status'], 'error', JSON.stringify(job));
    assert.match(String(byName(job, 'run')['message']), /V2_COMMAND_ENABLED=true/);
    await worker.kill();
  });

  it('fails a command task on a worker whose tools run with limits only (no bubblewrap)', async () => {
    worker = await startWorkerProcess(server, { V2_COMMAND_ENABLED: 'true', TOOL_SANDBOX: 'rlimits' });
    const job = await runJob(server, probeJob());
    assert.equal(byName(job, 'run')['status'], 'error', JSON.stringify(job));
    assert.match(String(byName(job, 'run')['message']), /only where tools are confined by bubblewrap/);
    await worker.kill();
  });
});
