// The tracing engine: sharp turns a raster image into a gray bitmap (flattened on white, within
// MAX_IMAGE_PIXELS), potrace traces its outlines into an svg or eps, in the tool sandbox.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { appError, AppError } from '../../../src/core/errors.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConvertRequest, Converter, ConverterContext, OutputFile } from '../types.js';
import { buildTraceArgs, pgmHeader } from './command.js';

export interface TraceEngineSettings {
  readonly potrace: string;
  /** Images with more pixels are refused (decompression bombs). */
  readonly maxPixels: number;
}

/** The input as a gray PGM in the job's folder (potrace reads PNM and BMP only). */
async function toBitmap(request: ConvertRequest<'potrace'>, workDir: string, settings: TraceEngineSettings): Promise<string> {
  const { data, info } = await sharp(request.inputPath, { limitInputPixels: settings.maxPixels })
    .flatten({ background: '#ffffff' })
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw appError('CONVERSION_FAILED', `Could not read the ${request.inputFormat} image: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''}`);
    });
  const bitmap = path.join(workDir, 'trace-input.pgm');
  await writeFile(bitmap, Buffer.concat([pgmHeader(info.width, info.height), data.subarray(0, info.width * info.height)]));
  return bitmap;
}

export function createTraceEngine(settings: TraceEngineSettings): Converter<'potrace'> {
  return {
    async convert(request: ConvertRequest<'potrace'>, context: ConverterContext): Promise<readonly OutputFile[]> {
      const meta = await sharp(request.inputPath).metadata().catch(() => undefined);
      if (meta?.width === undefined || meta.height === undefined) throw appError('CONVERSION_FAILED', `The file is not a readable ${request.inputFormat} image.`);
      if (meta.width * meta.height > settings.maxPixels) {
        throw appError('CONVERSION_FAILED', `The image is ${meta.width}x${meta.height} pixels, more than the limit of ${settings.maxPixels} (MAX_IMAGE_PIXELS).`);
      }
      const bitmap = await toBitmap(request, context.workDir, settings);
      const name = `${request.outputName}.${request.outputFormat}`;
      const output = path.join(request.outputDir, name);
      await context.tools.run(settings.potrace, buildTraceArgs(bitmap, output, request.outputFormat, request.options), { signal: context.signal }).catch((error: unknown) => {
        if (context.signal.aborted || error instanceof AppError || !(error instanceof ToolError)) throw error;
        throw appError('CONVERSION_FAILED', `potrace could not trace the image: ${error.stderrTail.trim().split('\n').pop() ?? `exit code ${error.exitCode}`}.`);
      });
      return [{ path: output, name }];
    },
  };
}
