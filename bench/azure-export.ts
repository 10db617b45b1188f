// export/azure/blob of a 1 GiB file to Azurite through the server (API and worker in one
// process), against a bare @azure/storage-blob uploadStream of the same file from this process
// in the same run. The file reaches the server by import/url from a local HTTP server; only the
// export task is timed, and the server process's RSS is sampled while it runs (peak minus the
// RSS before it). Target: the export is streamed, growth < 128 MiB.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from '../test/helpers/azurite.js';
import { BENCH_KEY, machine, printResult, readMemory, request, resetPeak, round, runBench, sampleRss, sleep, startBenchServer, WITHOUT_POOLS } from './lib.js';

const MIB = 1024 * 1024;
const SIZE = 1024 * MIB;
const AUTH = { Authorization: `Bearer ${BENCH_KEY}`, 'Content-Type': 'application/json' };

async function makeFile(file: string): Promise<void> {
  const out = createWriteStream(file);
  const chunk = Buffer.alloc(MIB, 7);
  for (let i = 0; i < SIZE / MIB; i++) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Serves `file` at /big.bin, streamed. */
async function serveFile(file: string): Promise<{ url: string; close(): void }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-length': SIZE, 'content-type': 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.bin`, close: () => server.close() };
}

type Task = { name: string; status: string; message?: string };
async function tasksOf(baseUrl: string, jobId: string): Promise<Task[]> {
  const res = await request('GET', `${baseUrl}/v2/jobs/${jobId}`, { headers: AUTH });
  return (JSON.parse(res.body.toString('utf8')) as { data: { tasks: Task[] } }).data.tasks;
}

await runBench('azure-export', 20 * 60_000, async () => {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'oc-bench-azure-'));
  const azurite = await startAzurite(['bench']);
  const source = path.join(scratch, 'big.bin');
  await makeFile(source);
  const files = await serveFile(source);
  try {
    const server = await startBenchServer({ ...WITHOUT_POOLS, ALLOW_PRIVATE_URLS: 'true', MAX_SIZE_MB: '2048' });
    const account = { storage_account: AZURITE_ACCOUNT, storage_access_key: AZURITE_KEY, endpoint: azurite.endpoint, container: 'bench' };
    const tasks = { in: { operation: 'import/url', url: files.url, filename: 'big.bin' }, out: { operation: 'export/azure/blob', input: 'in', ...account, blob: 'server/big.bin' } };
    const created = await request('POST', `${server.baseUrl}/v2/jobs`, { body: JSON.stringify({ tasks }), headers: AUTH });
    if (created.status !== 201) throw new Error(`POST /v2/jobs answered ${created.status}: ${created.body.toString('utf8').slice(0, 300)}`);
    const jobId = (JSON.parse(created.body.toString('utf8')) as { data: { id: string } }).data.id;

    // Wait until the import is done, then measure only the export.
    let list = await tasksOf(server.baseUrl, jobId);
    while (list.find((t) => t.name === 'in')?.status !== 'finished') {
      if (list.some((t) => t.status === 'error')) throw new Error(`the job failed: ${JSON.stringify(list)}`);
      await sleep(50);
      list = await tasksOf(server.baseUrl, jobId);
    }
    const before = await readMemory(server.pid);
    const peakReset = await resetPeak(server.pid);
    const sampler = sampleRss(server.pid, 50);
    const begin = performance.now();
    while (!['finished', 'error'].includes(list.find((t) => t.name === 'out')?.status ?? '')) {
      await sleep(50);
      list = await tasksOf(server.baseUrl, jobId);
    }
    const serverS = (performance.now() - begin) / 1000;
    const sampledPeak = await sampler.stop();
    const after = await readMemory(server.pid);
    const out = list.find((t) => t.name === 'out');
    if (out?.status !== 'finished') throw new Error(`export/azure/blob ended ${out?.status}: ${out?.message ?? ''}`);
    const props = await azurite.client.getContainerClient('bench').getBlobClient('server/big.bin').getProperties();
    if (props.contentLength !== SIZE) throw new Error(`Azurite holds ${props.contentLength} bytes, expected ${SIZE}`);
    await server.stop();

    // The same file with the bare SDK, from this process.
    const bareBegin = performance.now();
    await azurite.client.getContainerClient('bench').getBlockBlobClient('bare/big.bin').uploadStream(createReadStream(source), 8 * MIB, 4);
    const bareS = (performance.now() - bareBegin) / 1000;
    const bareSize = (await stat(source)).size;

    const peakKiB = Math.max(sampledPeak, after.rssKiB, peakReset ? after.hwmKiB : 0);
    const growthMiB = (peakKiB - before.rssKiB) / 1024;
    const serverMBs = SIZE / 1e6 / serverS;
    const bareMBs = bareSize / 1e6 / bareS;
    console.log(`azure-export on ${machine()}`);
    console.log(`  1 GiB → Azurite on 127.0.0.1: export/azure/blob ${serverS.toFixed(2)} s (${serverMBs.toFixed(0)} MB/s, task polling every 50 ms included); bare uploadStream ${bareS.toFixed(2)} s (${bareMBs.toFixed(0)} MB/s); ratio ${(serverMBs / bareMBs).toFixed(2)}`);
    console.log(`  server RSS: before ${(before.rssKiB / 1024).toFixed(1)} MiB, peak ${(peakKiB / 1024).toFixed(1)} MiB; growth ${growthMiB.toFixed(1)} MiB (target < 128 MiB: ${growthMiB < 128 ? 'met' : 'NOT met'})`);
    printResult({ bench: 'azure-export', bytes: SIZE, serverSeconds: round(serverS), serverMBps: round(serverMBs, 0), bareSeconds: round(bareS), bareMBps: round(bareMBs, 0), ratio: round(serverMBs / bareMBs), rssBeforeMiB: round(before.rssKiB / 1024, 1), rssPeakMiB: round(peakKiB / 1024, 1), rssGrowthMiB: round(growthMiB, 1), hwmReset: peakReset, targetMiB: 128, met: growthMiB < 128 });
  } finally {
    files.close();
    await azurite.stop();
    await rm(scratch, { recursive: true, force: true });
  }
});
