// Part "images": 16 clients converting a 1000x1000 photo-like PNG to JPG through /convert
// (multipart, wait=true, then the download), against the project's sharp in this process with
// 16 concurrent conversions of the same buffer. Target: server / sharp >= 0.8.
import sharp, { type Sharp } from 'sharp';
import { IMAGE_OPTIONS } from '../../src/core/catalog/engines/image.js';
import { validateOptions } from '../../src/core/catalog/options.js';
import { planImage, type ImageOptions } from '../../workers/converters/image/plan.js';
import { machine, median, percentile, printResult, round, startBenchServer, WITHOUT_POOLS, type BenchServer } from '../lib.js';
import { photoPng } from './fixtures.js';
import { MAGIC, closedLoop, convertAndDownload, convertForm, describeCpu, type LoadResult } from './load.js';

export const IMAGE_CLIENTS = 16;
export const IMAGE_WARMUP_MS = 3_000;
export const IMAGE_WINDOW_MS = 12_000;
const TARGET = 0.8;

/**
 * png → jpg as the server's image engine does it with default options: the plan's operations
 * (auto-orient, flatten on white, keep metadata) and its encoder quality (sharp's default when
 * the catalog's default is null), so the two sides of the ratio do the same work.
 */
export function bareJpeg(png: Buffer): () => Promise<Buffer> {
  const defaults: ImageOptions = validateOptions(IMAGE_OPTIONS, {}, 'bench').values;
  const plan = planImage(defaults, 'jpg', 1);
  if (plan.encoder.format !== 'jpeg') throw new Error(`the image plan for jpg encodes ${plan.encoder.format}`);
  const quality = plan.encoder.quality;
  sharp.cache(false); // as the worker runs it
  return () => {
    let image: Sharp = sharp(png);
    for (const step of plan.operations) {
      if (step.op === 'autoOrient') image = image.autoOrient();
      else if (step.op === 'flatten') image = image.flatten({ background: step.background });
      else if (step.op === 'keepMetadata') image = image.keepMetadata();
      else throw new Error(`the default jpg plan has an unexpected step ${step.op}`);
    }
    return image.jpeg(quality === undefined ? {} : { quality }).toBuffer();
  };
}

/** The 16-client /convert load on a running server; also used by the profile part. */
export async function serverImageLoad(server: BenchServer, png: Buffer): Promise<LoadResult> {
  const form = convertForm(png, 'photo.png', 'png', 'jpg');
  const options = { clients: IMAGE_CLIENTS, warmupMs: IMAGE_WARMUP_MS, windowMs: IMAGE_WINDOW_MS, cpuOf: { server: server.pid, redis: server.redisPid } };
  return closedLoop(options, () => convertAndDownload(server.baseUrl, form, MAGIC.jpg));
}

export function describeLoad(result: LoadResult): string {
  const lat = result.latenciesMs;
  const spread = lat.length === 0 ? 'none ended' : `median ${median(lat).toFixed(0)} ms, p90 ${percentile(lat, 90).toFixed(0)} ms`;
  return `${result.perSecond.toFixed(1)}/s (${result.completed} in ${IMAGE_WINDOW_MS / 1000} s; latency ${spread})`;
}

export async function imagesPart(env: Record<string, string>): Promise<void> {
  const png = await photoPng(1000, 1000);
  const server = await startBenchServer({ ...WITHOUT_POOLS, ...env });
  let api: LoadResult;
  try {
    api = await serverImageLoad(server, png);
  } finally {
    await server.stop();
  }
  // With the server stopped, so the in-process sharp has the machine to itself as the server had.
  const bare = await closedLoop({ clients: IMAGE_CLIENTS, warmupMs: IMAGE_WARMUP_MS, windowMs: IMAGE_WINDOW_MS }, bareJpeg(png));
  report(png, api, bare, env);
}

function report(png: Buffer, api: LoadResult, bare: LoadResult, env: Record<string, string>): void {
  const ratio = api.perSecond / bare.perSecond;
  console.log(`throughput images on ${machine()}`);
  console.log(`  1000x1000 photo-like PNG (${(png.length / 1e6).toFixed(2)} MB) → jpg, ${IMAGE_CLIENTS} clients, ${IMAGE_WARMUP_MS / 1000} s warm-up, ${IMAGE_WINDOW_MS / 1000} s window; server env ${JSON.stringify(env)}`);
  console.log(`  server (/convert multipart wait=true + download): ${describeLoad(api)}`);
  console.log(`    CPU in the window: ${describeCpu(api, IMAGE_WINDOW_MS)}`);
  console.log(`  sharp in-process (${IMAGE_CLIENTS} concurrent):          ${describeLoad(bare)}`);
  console.log(`    CPU in the window: ${describeCpu(bare, IMAGE_WINDOW_MS)}`);
  console.log(`  ratio server / sharp ${ratio.toFixed(2)} (target >= ${TARGET}: ${ratio >= TARGET ? 'met' : 'NOT met'})`);
  printResult({
    bench: 'throughput-images',
    pngBytes: png.length,
    clients: IMAGE_CLIENTS,
    windowS: IMAGE_WINDOW_MS / 1000,
    env,
    serverPerSecond: round(api.perSecond),
    serverMedianMs: api.completed > 0 ? round(median(api.latenciesMs), 1) : null,
    sharpPerSecond: round(bare.perSecond),
    ratio: round(ratio, 3),
    cpuSeconds: Object.fromEntries(Object.entries(api.cpuSeconds).map(([k, v]) => [k, round(v)])),
    target: TARGET,
    met: ratio >= TARGET,
  });
}
