// Pure builders for the tracing engine: potrace's arguments from the typed options, and the PGM
// header of the bitmap it reads (sharp writes the pixels).
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';

type TraceOptions = EngineOptions['potrace'];

/** potrace's backend for each output format. */
const BACKENDS: Readonly<Partial<Record<Format, string>>> = { svg: 'svg', eps: 'eps' };

/**
 * potrace's arguments: every value validated by the catalog, each its own argv entry, and the
 * paths absolute, so nothing can be read as an option.
 */
export function buildTraceArgs(input: string, output: string, outputFormat: Format, options: TraceOptions): string[] {
  const backend = BACKENDS[outputFormat];
  if (backend === undefined) throw new Error(`potrace writes no ${outputFormat}`);
  if (!input.startsWith('/') || !output.startsWith('/')) throw new Error('potrace paths must be absolute');
  const args = ['--backend', backend, '--output', output];
  args.push('--blacklevel', String((options.threshold ?? 128) / 255));
  if (options.invert === true) args.push('--invert');
  args.push('--turdsize', String(options.turdsize ?? 2));
  args.push('--alphamax', String(options.alphamax ?? 1));
  const tolerance = options.opttolerance ?? 0.2;
  if (tolerance === 0) args.push('--longcurve');
  else args.push('--opttolerance', String(tolerance));
  args.push('--color', options.color ?? '#000000');
  return [...args, input];
}

/** The header of a binary PGM (P5) of the given size with 8-bit gray levels. */
export function pgmHeader(width: number, height: number): Buffer {
  return Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii');
}
