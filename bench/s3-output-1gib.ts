// A conversion whose 1 GiB output goes to S3 (output={s3:{...}}), against a local S3-compatible
// server (s3rver, in this benchmark's process, so its memory is not counted). The input is a
// FLAC of 93 minutes of stereo silence (about 1 MiB, made with ffmpeg); the conversion to WAV
// writes 1 GiB. Reports the time of the conversion (with the copy into the server's own file
// store) and of the upload to S3 (step `output`, "Uploading output files..."), its throughput, and the server process's RSS growth: peak minus the RSS before the process.
// Target: the upload is streamed, growth < 128 MiB.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { S3_KEY_ID, startS3Server } from '../test/helpers/s3-server.js';
import { BENCH_KEY, abs, json, machine, printResult, readMemory, request, resetPeak, round, runBench, sampleRss, sleep, startBenchServer, WITHOUT_POOLS } from './lib.js';

const SAMPLE_RATE = 48_000;
const BYTES_PER_SECOND = SAMPLE_RATE * 2 * 2; // stereo, 16-bit PCM
const SECONDS = (1024 * 1024 * 1024) / BYTES_PER_SECOND; // 5592.4 s: 1 GiB of WAV data
const MIB = 1024 * 1024;
const BUCKET = 'bench-out';

/** Which part of the run a status shows: the upload to S3 is step `output` with its own message. */
function phaseOf(status: { step: string; message: string }): 'convert' | 'upload' | undefined {
  if (status.step === 'convert') return 'convert';
  return status.step === 'output' && /^Uploading output files/.test(status.message) ? 'upload' : undefined;
}

await runBench('s3-output-1gib', 10 * 60_000, async () => {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'oc-bench-s3-'));
  const s3 = await startS3Server([BUCKET]);
  try {
    const input = path.join(scratch, 'silence.flac');
    await promisify(execFile)('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `anullsrc=r=${SAMPLE_RATE}:cl=stereo`, '-t', SECONDS.toFixed(3), '-c:a', 'flac', input]);
    const server = await startBenchServer({ ...WITHOUT_POOLS, ALLOW_PRIVATE_URLS: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });

    const created = await json<{ url: string }>('POST', `${server.baseUrl}/process`, { apikey: BENCH_KEY, inputformat: 'flac', outputformat: 'wav' });
    const processUrl = abs(created.url);
    const output = { s3: { accesskeyid: S3_KEY_ID, secretaccesskey: 'bench-secret', bucket: BUCKET, endpoint: s3.endpoint, path: 'bench/' } };
    const started = await json<{ upload?: { url?: string } }>('POST', processUrl, { input: 'upload', outputformat: 'wav', output });
    if (started.upload?.url === undefined) throw new Error(`no upload.url: ${JSON.stringify(started)}`);

    const before = await readMemory(server.pid);
    const peakReset = await resetPeak(server.pid);
    const sampler = sampleRss(server.pid, 50);
    const begin = performance.now();
    const flac = await readFile(input);
    const put = await request('PUT', `${abs(started.upload.url)}/silence.flac`, { body: flac });
    if (put.status !== 200) throw new Error(`upload of the input answered ${put.status}`);

    // Poll the status to time each step; track the RSS peak while the upload to S3 runs.
    const seen = new Map<string, number>();
    let uploadPeakKiB = 0;
    type Status = { step: string; message: string; output?: { size?: number; storage?: { files?: string[] } } };
    let status: Status;
    for (;;) {
      status = await json<Status>('GET', processUrl);
      const phase = phaseOf(status);
      if (phase !== undefined && !seen.has(phase)) seen.set(phase, performance.now());
      if (phase === 'upload') uploadPeakKiB = Math.max(uploadPeakKiB, (await readMemory(server.pid)).rssKiB);
      if (status.step === 'finished' || status.step === 'error') break;
      await sleep(50);
    }
    const end = performance.now();
    const after = await readMemory(server.pid);
    const sampledPeak = await sampler.stop();
    if (status.step !== 'finished') throw new Error(`the conversion ended in ${status.step}: ${status.message}`);
    const key = status.output?.storage?.files?.[0] ?? '';
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    const bytes = head.ContentLength ?? 0;
    if (bytes !== status.output?.size) throw new Error(`S3 holds ${bytes} bytes, the output has ${status.output?.size}`);
    const multipart = s3.requests.filter((r) => r.method === 'PUT' && r.url.includes('partNumber=')).length;
    await json('DELETE', processUrl);
    await server.stop();

    const uploadStart = seen.get('upload') ?? end;
    const convertS = (uploadStart - (seen.get('convert') ?? uploadStart)) / 1000; // with the copy into the file store
    const uploadS = (end - uploadStart) / 1000;
    const peakKiB = Math.max(sampledPeak, uploadPeakKiB, after.rssKiB, peakReset ? after.hwmKiB : 0);
    const growthMiB = (peakKiB - before.rssKiB) / 1024;
    const uploadGrowthMiB = (uploadPeakKiB - before.rssKiB) / 1024;
    const throughput = bytes / MIB / uploadS;
    console.log(`s3-output-1gib on ${machine()}`);
    console.log(`  FLAC (${(flac.length / MIB).toFixed(1)} MiB) → WAV ${(bytes / MIB).toFixed(0)} MiB, output={s3} to s3rver on 127.0.0.1 (${multipart} parts)`);
    console.log(`  convert and store here ${convertS.toFixed(2)} s, upload to S3 ${uploadS.toFixed(2)} s (${throughput.toFixed(0)} MiB/s); total ${((end - begin) / 1000).toFixed(2)} s`);
    console.log(`  server RSS: before ${(before.rssKiB / 1024).toFixed(1)} MiB, peak ${(peakKiB / 1024).toFixed(1)} MiB (during the upload ${(uploadPeakKiB / 1024).toFixed(1)} MiB), after ${(after.rssKiB / 1024).toFixed(1)} MiB`);
    console.log(`  peak RSS growth ${growthMiB.toFixed(1)} MiB (target < 128 MiB: ${growthMiB < 128 ? 'met' : 'NOT met'})`);
    printResult({
      bench: 's3-output-1gib',
      bytes,
      parts: multipart,
      convertSeconds: round(convertS),
      uploadSeconds: round(uploadS),
      uploadMibPerSecond: round(throughput, 0),
      rssBeforeMiB: round(before.rssKiB / 1024, 1),
      rssPeakMiB: round(peakKiB / 1024, 1),
      rssGrowthMiB: round(growthMiB, 1),
      rssGrowthDuringUploadMiB: round(uploadGrowthMiB, 1),
      hwmReset: peakReset,
      targetMiB: 128,
      met: growthMiB < 128,
    });
  } finally {
    await s3.stop();
    await rm(scratch, { recursive: true, force: true });
  }
});
