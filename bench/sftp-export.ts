// A conversion whose 1 GiB output goes to SFTP (output={sftp:{...}}, the adapter export/sftp
// uses too), against a real OpenSSH sshd on 127.0.0.1 (test/helpers/sftp-server.ts; run as
// root). The input is a FLAC of 93 minutes of stereo silence (about 1 MiB); the conversion to WAV
// writes 1 GiB. Reports the upload's throughput (step `output`) and the server process's peak
// RSS growth, then uploads the same file from this process with a bare ssh2-sftp-client put (a
// read stream) and fastPut (parallel reads), for the ratio. Target: streamed, growth < 128 MiB.
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SftpClient from 'ssh2-sftp-client';
import { startSftpServer, type SftpTestServer } from '../test/helpers/sftp-server.js';
import { BENCH_KEY, abs, json, machine, printResult, readMemory, request, resetPeak, round, runBench, sampleRss, sleep, startBenchServer, WITHOUT_POOLS } from './lib.js';

const SAMPLE_RATE = 48_000;
const SECONDS = (1024 * 1024 * 1024) / (SAMPLE_RATE * 2 * 2); // 1 GiB of 16-bit stereo PCM
const MIB = 1024 * 1024;

/** Seconds for a bare client to send `file` with `send`. */
async function bare(sftp: SftpTestServer, send: (client: SftpClient) => Promise<unknown>): Promise<number> {
  const client = new SftpClient('bench', { error: () => undefined, end: () => undefined, close: () => undefined });
  await client.connect({ host: sftp.host, port: sftp.port, username: sftp.user, password: sftp.password });
  const begin = performance.now();
  await send(client);
  const seconds = (performance.now() - begin) / 1000;
  await client.end();
  return seconds;
}

await runBench('sftp-export', 15 * 60_000, async () => {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'oc-bench-sftp-'));
  const sftp = await startSftpServer();
  try {
    const input = path.join(scratch, 'silence.flac');
    await promisify(execFile)('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `anullsrc=r=${SAMPLE_RATE}:cl=stereo`, '-t', SECONDS.toFixed(3), '-c:a', 'flac', input]);
    const server = await startBenchServer({ ...WITHOUT_POOLS, ALLOW_PRIVATE_URLS: 'true' });
    const created = await json<{ url: string }>('POST', `${server.baseUrl}/process`, { apikey: BENCH_KEY, inputformat: 'flac', outputformat: 'wav' });
    const processUrl = abs(created.url);
    const output = { sftp: { host: sftp.host, port: sftp.port, user: sftp.user, password: sftp.password, path: 'bench/' } };
    const started = await json<{ upload?: { url?: string } }>('POST', processUrl, { input: 'upload', outputformat: 'wav', output });
    if (started.upload?.url === undefined) throw new Error(`no upload.url: ${JSON.stringify(started)}`);

    const before = await readMemory(server.pid);
    const peakReset = await resetPeak(server.pid);
    const sampler = sampleRss(server.pid, 50);
    const put = await request('PUT', `${abs(started.upload.url)}/silence.flac`, { body: await readFile(input) });
    if (put.status !== 200) throw new Error(`upload of the input answered ${put.status}`);
    let uploadStart: number | undefined;
    let status: { step: string; message: string; output?: { size?: number; storage?: { files?: string[] } } };
    for (;;) {
      status = await json('GET', processUrl);
      if (uploadStart === undefined && status.step === 'output') uploadStart = performance.now();
      if (status.step === 'finished' || status.step === 'error') break;
      await sleep(50);
    }
    const end = performance.now();
    const after = await readMemory(server.pid);
    const sampledPeak = await sampler.stop();
    if (status.step !== 'finished') throw new Error(`the conversion ended in ${status.step}: ${status.message}`);
    const remote = path.join(sftp.root, status.output?.storage?.files?.[0] ?? '');
    const bytes = (await stat(remote)).size;
    if (bytes !== status.output?.size) throw new Error(`the SFTP server holds ${bytes} bytes, the output has ${status.output?.size}`);
    await json('DELETE', processUrl);
    await server.stop();

    const uploadS = (end - (uploadStart ?? end)) / 1000;
    const peakKiB = Math.max(sampledPeak, after.rssKiB, peakReset ? after.hwmKiB : 0);
    const growthMiB = (peakKiB - before.rssKiB) / 1024;
    const local = path.join(scratch, 'same.wav');
    await copyFile(remote, local);
    await rm(remote);
    const putS = await bare(sftp, (c) => c.put(createReadStream(local, { highWaterMark: MIB }), 'bare-put.wav'));
    const fastPutS = await bare(sftp, (c) => c.fastPut(local, 'bare-fastput.wav'));
    const rate = (seconds: number): number => bytes / MIB / seconds;
    console.log(`sftp-export on ${machine()}`);
    console.log(`  server's output={sftp} ${uploadS.toFixed(2)} s (${rate(uploadS).toFixed(0)} MiB/s, step output polled every 50 ms)`);
    console.log(`  bare put(stream) ${putS.toFixed(2)} s (${rate(putS).toFixed(0)} MiB/s), bare fastPut ${fastPutS.toFixed(2)} s (${rate(fastPutS).toFixed(0)} MiB/s)`);
    console.log(`  server RSS before ${(before.rssKiB / 1024).toFixed(1)} MiB, peak growth ${growthMiB.toFixed(1)} MiB (target < 128 MiB: ${growthMiB < 128 ? 'met' : 'NOT met'})`);
    printResult({
      bench: 'sftp-export', bytes, uploadSeconds: round(uploadS), uploadMibPerSecond: round(rate(uploadS), 0),
      barePutMibPerSecond: round(rate(putS), 0), bareFastPutMibPerSecond: round(rate(fastPutS), 0),
      ratioToBarePut: round(putS / uploadS), ratioToBareFastPut: round(fastPutS / uploadS),
      rssBeforeMiB: round(before.rssKiB / 1024, 1), rssGrowthMiB: round(growthMiB, 1), hwmReset: peakReset, targetMiB: 128, met: growthMiB < 128,
    });
  } finally {
    await sftp.stop();
    await rm(scratch, { recursive: true, force: true });
  }
});
