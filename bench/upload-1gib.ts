// Streams 1 GiB to an upload URL the way the Node client does (PUT, chunked, no Content-Length)
// and reports the throughput and the growth of the API process's resident memory while the body
// arrives. Target: peak RSS growth < 64 MiB, i.e. the upload is streamed, never buffered.
// The bytes are not a valid PNG, so the conversion started afterwards fails; the process is
// deleted right after the upload.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { once } from 'node:events';
import { BENCH_KEY, abs, json, machine, printResult, readMemory, resetPeak, round, runBench, sampleRss, since, startBenchServer, WITHOUT_POOLS } from './lib.js';

const TOTAL = 1024 * 1024 * 1024;
const CHUNK = 64 * 1024; // the chunk size of fs.createReadStream, which the Node client pipes
const MIB = 1024 * 1024;

/** PUTs `total` bytes of a repeated pseudo-random block, chunked, honouring back-pressure. */
async function putStream(url: string, total: number): Promise<{ status: number; body: string }> {
  const block = randomBytes(MIB);
  const req = http.request(url, { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' } });
  const answered = once(req, 'response') as Promise<[http.IncomingMessage]>;
  req.on('error', () => undefined); // surfaced by `answered` / the write loop below
  for (let sent = 0; sent < total; sent += CHUNK) {
    const offset = sent % MIB;
    if (!req.write(block.subarray(offset, offset + Math.min(CHUNK, total - sent)))) {
      await Promise.race([once(req, 'drain'), answered.then(() => Promise.reject(new Error('the server answered before the body was sent')))]);
    }
  }
  req.end();
  const [res] = await answered;
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
}

await runBench('upload-1gib', 10 * 60_000, async () => {
  // The default MAX_SIZE_MB (1024) is exactly 1 GiB; leave room so the limit is not what is measured.
  const server = await startBenchServer({ ...WITHOUT_POOLS, MAX_SIZE_MB: '2048' });
  const created = await json<{ url: string }>('POST', `${server.baseUrl}/process`, { apikey: BENCH_KEY, inputformat: 'png', outputformat: 'jpg' });
  const processUrl = abs(created.url);
  const started = await json<{ upload?: { url?: string } }>('POST', processUrl, { input: 'upload', outputformat: 'jpg' });
  if (started.upload?.url === undefined) throw new Error(`the start answer has no upload.url: ${JSON.stringify(started)}`);

  const before = await readMemory(server.pid);
  const peakReset = await resetPeak(server.pid);
  const sampler = sampleRss(server.pid, 50);
  const start = performance.now();
  const result = await putStream(`${abs(started.upload.url)}/big.png`, TOTAL);
  const seconds = since(start) / 1000;
  const after = await readMemory(server.pid);
  const sampledPeak = await sampler.stop();
  if (result.status !== 200) throw new Error(`the upload answered ${result.status}: ${result.body.slice(0, 500)}`);
  const saved = JSON.parse(result.body) as { size?: number };
  if (saved.size !== TOTAL) throw new Error(`the server saved ${saved.size} bytes, not ${TOTAL}`);
  await json('DELETE', processUrl);

  // VmHWM (reset just before the upload) catches peaks between two 50 ms samples.
  const peakKiB = Math.max(sampledPeak, after.rssKiB, peakReset ? after.hwmKiB : 0);
  const growthMiB = (peakKiB - before.rssKiB) / 1024;
  const throughput = TOTAL / MIB / seconds;
  console.log(`upload-1gib on ${machine()}`);
  console.log(`  PUT 1 GiB chunked (no Content-Length) to <upload.url>/big.png: ${seconds.toFixed(2)} s, ${throughput.toFixed(0)} MiB/s`);
  console.log(`  API process RSS: before ${(before.rssKiB / 1024).toFixed(1)} MiB, peak ${(peakKiB / 1024).toFixed(1)} MiB (${peakReset ? 'VmHWM reset before the upload + ' : ''}VmRSS every 50 ms), after ${(after.rssKiB / 1024).toFixed(1)} MiB`);
  console.log(`  peak RSS growth ${growthMiB.toFixed(1)} MiB (target < 64 MiB: ${growthMiB < 64 ? 'met' : 'NOT met'})`);
  printResult({
    bench: 'upload-1gib',
    bytes: TOTAL,
    seconds: round(seconds),
    mibPerSecond: round(throughput, 0),
    rssBeforeMiB: round(before.rssKiB / 1024, 1),
    rssPeakMiB: round(peakKiB / 1024, 1),
    rssGrowthMiB: round(growthMiB, 1),
    hwmReset: peakReset,
    targetMiB: 64,
    met: growthMiB < 64,
  });
});
