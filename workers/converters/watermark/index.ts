// The watermark engine (API v2's `watermark`): text or an image drawn on raster images (sharp)
// or on PDF pages (pdf-lib). Its options were checked by the v2 operation; this engine only draws.
import path from 'node:path';
import type { WatermarkPlan } from '../../../src/core/catalog/edit-plans.js';
import { Gate } from '../../tools/gate.js';
import type { ConverterContext, OutputFile } from '../types.js';
import { watermarkImage } from './image.js';
import { watermarkPdf } from './pdf.js';

export interface WatermarkEngineSettings {
  /** Images (input or watermark) with more pixels are refused (MAX_IMAGE_PIXELS). */
  readonly maxPixels: number;
  /** PDFs with more pages are refused. */
  readonly maxPages: number;
  /** libuv's threads, shared by sharp and the worker's file operations. */
  readonly threads: number;
}

export interface WatermarkRequest {
  readonly inputPath: string;
  /** The watermark image's file when the plan draws an image. */
  readonly imagePath: string | undefined;
  readonly plan: WatermarkPlan;
  readonly outputDir: string;
  readonly outputName: string;
}

/** The ability behind v2 `watermark`. */
export interface Watermarker {
  /** Writes the watermarked copy (same format); AppError CONVERSION_FAILED for unreadable files. */
  watermark(request: WatermarkRequest, context: ConverterContext): Promise<OutputFile>;
}

export function createWatermarkEngine(settings: WatermarkEngineSettings): Watermarker {
  // As in the image engine: sharp holds libuv threads, so leave two for the worker's own file I/O.
  const gate = new Gate(Math.max(1, settings.threads - 2));
  return {
    watermark: (request, context) =>
      gate.run(context.signal, async () => {
        const { plan } = request;
        const name = `${request.outputName}.${plan.outputFormat}`;
        const outputPath = path.join(request.outputDir, name);
        const common = { inputPath: request.inputPath, options: plan.options, imagePath: request.imagePath, outputPath, maxPixels: settings.maxPixels };
        if (plan.inputFormat === 'pdf') await watermarkPdf({ ...common, maxPages: settings.maxPages });
        else await watermarkImage({ ...common, inputFormat: plan.inputFormat });
        context.signal.throwIfAborted();
        return { path: outputPath, name };
      }),
  };
}
