// The logs of a real server: JSON lines, one per request and per step change, the process id and
// the OS pid in every line of a conversion, and no key or storage secret anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';

type Line = Record<string, unknown> & { msg?: string };
const S3_SECRET = 'never-log-this-secret-123';

describe('structured logs', () => {
  let server: TestServer;
  const text: string[] = [];
  const lines = (): Line[] => text.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
  before(async () => {
    server = await startTestServer({ logTo: { write: (chunk: string) => void text.push(chunk) } });
  });
  after(async () => {
    await server?.stop();
  });

  it('logs each request, each step change with the process id, and never a secret', async () => {
    assert.equal((await json(`${server.baseUrl}/user?apikey=${TEST_KEY}`)).status, 200);
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    const id = String(created.body['id']);
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'base64', file: SVG.toString('base64'), filename: 'l.svg', outputformat: 'png', wait: true });
    assert.equal(started.body['step'], 'finished');
    // A start with S3 credentials (refused: the endpoint is private), to show they stay out of the logs.
    const other = await postJson(`${server.baseUrl}/process?apikey=${TEST_KEY}`, { inputformat: 'png', outputformat: 'jpg' });
    await postJson(`${server.abs(String(other.body['url']))}?secretaccesskey=${S3_SECRET}`, { input: { s3: { accesskeyid: 'AKIA', secretaccesskey: S3_SECRET, bucket: 'b', endpoint: 'http://127.0.0.1:9' } }, file: 'x.png', outputformat: 'jpg' });
    await until(async () => lines().some((l) => l.msg === 'conversion finished' && l['processId'] === id), 5000, 'the finish line');

    const all = text.join('');
    assert.ok(!all.includes(TEST_KEY), 'the API key is never logged');
    assert.ok(!all.includes(S3_SECRET), 'the S3 secret is never logged');
    const requests = lines().filter((l) => l.msg === 'incoming request');
    assert.ok(requests.some((l) => String((l['req'] as { url: string }).url) === '/user?apikey=[redacted]'), 'the request line is there, with the key redacted');
    const conversion = lines().filter((l) => ['conversion started', 'step changed', 'conversion finished'].includes(String(l.msg)) && l['processId'] === id);
    assert.deepEqual(conversion.filter((l) => l.msg === 'step changed').map((l) => l['step']), ['input', 'convert', 'output']);
    for (const line of conversion) {
      assert.equal(line['pid'], process.pid);
      assert.equal(typeof line['time'], 'number');
    }
    // Every worker line about a conversion names its process.
    for (const line of lines().filter((l) => ['conversion started', 'step changed', 'conversion finished'].includes(String(l.msg)))) assert.equal(typeof line['processId'], 'string', JSON.stringify(line));
  });
});
