// What the API adds to a conversion: the median time of POST /convert (wait=true) plus the
// download of the result for a small SVG, against sharp converting the same SVG in-process.
// Target: overhead (API total - bare sharp) < 30 ms.
import sharp from 'sharp';
import { BENCH_KEY, SMALL_SVG, abs, json, machine, median, percentile, printResult, request, round, runBench, since, startBenchServer, timed, WITHOUT_POOLS } from './lib.js';

const WARMUP = 20;
const N = 200;

interface ConvertAnswer {
  step: string;
  output?: { url?: string };
}

/** One /convert + download; returns the milliseconds the download alone took. */
async function convertAndDownload(baseUrl: string): Promise<number> {
  const body = { apikey: BENCH_KEY, input: 'base64', file: SMALL_SVG.toString('base64'), filename: 'in.svg', inputformat: 'svg', outputformat: 'png', wait: true };
  const status = await json<ConvertAnswer>('POST', `${baseUrl}/convert`, body);
  if (status.step !== 'finished' || status.output?.url === undefined) throw new Error(`/convert ended in step ${status.step}: ${JSON.stringify(status)}`);
  const start = performance.now();
  const file = await request('GET', abs(status.output.url));
  if (file.status !== 200 || file.body.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error(`the download answered ${file.status} without a PNG`);
  return since(start);
}

await runBench('api-overhead', 10 * 60_000, async () => {
  const server = await startBenchServer(WITHOUT_POOLS);
  const downloadTimes: number[] = [];
  const api = async () => downloadTimes.push(await convertAndDownload(server.baseUrl));
  const bare = () => sharp(SMALL_SVG).png().toBuffer();

  await timed(WARMUP, api);
  downloadTimes.length = 0;
  const apiTimes = await timed(N, api);
  await timed(WARMUP, bare);
  const sharpTimes = await timed(N, bare);

  const apiMedian = median(apiTimes);
  const sharpMedian = median(sharpTimes);
  const overhead = apiMedian - sharpMedian;
  console.log(`api-overhead on ${machine()}`);
  console.log(`  N = ${N} sequential, after ${WARMUP} warm-ups; small SVG (${SMALL_SVG.length} bytes) to PNG`);
  console.log(`  POST /convert wait=true + download: median ${apiMedian.toFixed(2)} ms, p90 ${percentile(apiTimes, 90).toFixed(2)} ms`);
  console.log(`    of which the download:            median ${median(downloadTimes).toFixed(2)} ms`);
  console.log(`  bare sharp in-process:              median ${sharpMedian.toFixed(2)} ms, p90 ${percentile(sharpTimes, 90).toFixed(2)} ms`);
  console.log(`  overhead ${overhead.toFixed(2)} ms (target < 30 ms: ${overhead < 30 ? 'met' : 'NOT met'}), ratio ${(apiMedian / sharpMedian).toFixed(1)}x`);
  printResult({
    bench: 'api-overhead',
    n: N,
    apiMedianMs: round(apiMedian),
    apiP90Ms: round(percentile(apiTimes, 90)),
    downloadMedianMs: round(median(downloadTimes)),
    sharpMedianMs: round(sharpMedian),
    sharpP90Ms: round(percentile(sharpTimes, 90)),
    overheadMs: round(overhead),
    ratio: round(apiMedian / sharpMedian),
    targetMs: 30,
    met: overhead < 30,
  });
});
