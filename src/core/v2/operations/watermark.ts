// v2 `watermark`: text or an image (the file of the task named in `image`, a second input) drawn
// on an image or on PDF pages. Every field is checked here, into the typed options of the plan;
// the worker's watermark engine only draws.
import { appError } from '../../errors.js';
import { FORMATS, normalizeFormat, type Format } from '../../catalog/formats.js';
import { splitFilename } from '../../filenames.js';
import {
  FONT_ALIGNS, HORIZONTAL_POSITIONS, selectPages, VERTICAL_POSITIONS, WATERMARK_FONT_NAMES, WATERMARK_IMAGE_FORMATS, WATERMARK_INPUTS, WATERMARK_LAYERS,
  type WatermarkFontName, type WatermarkOptions, type WatermarkPlan,
} from '../../catalog/edit-plans.js';
import { FieldReader } from './fields.js';
import { inputFormatOf, processFor, readCommon } from './processing.js';
import type { OperationHandler } from './types.js';

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const PAGES = 'Give pages such as "1", "1,3", "2-4" or "3-" (to the end).';

/** `#rgb` as `#rrggbb`, lower case. */
const longColor = (color: string): string => (color.length === 4 ? `#${[...color.slice(1)].map((c) => c + c).join('')}` : color).toLowerCase();

function readText(fields: FieldReader): { text: string | null; image: boolean } {
  const text = fields.string('text', { max: 1000 }) ?? null;
  const named = fields.string('image', { max: 100 });
  // A task name or id is a string; a number would pass the string reader but name no task.
  if (named !== undefined && typeof fields.payload.image !== 'string') fields.fail('image', 'The image field must be the name (or, stand-alone, the id) of the task whose file is the watermark image.');
  const image = named !== undefined;
  // Control characters other than line breaks have no place in a drawn text.
  if (text !== null && /[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) fields.fail('text', 'The text field may hold line breaks but no other control characters.');
  if (text === null && !image) fields.fail('text', 'Give the watermark: a text, or in image the name of the task whose file is the watermark image.');
  if (text !== null && image) fields.fail('image', 'Give either text or image, not both.');
  return { text, image };
}

function readFont(fields: FieldReader): WatermarkFontName {
  const asked = fields.string('font_name', { max: 100 });
  if (asked === undefined) return 'Arial';
  const found = WATERMARK_FONT_NAMES.find((name) => name.toLowerCase() === asked.trim().toLowerCase());
  if (found === undefined) fields.fail('font_name', `The font_name "${asked.slice(0, 40)}" is not installed here. Valid values: ${WATERMARK_FONT_NAMES.join(', ')}.`);
  return found ?? 'Arial';
}

/** The watermark's options from the fields, every bad one recorded in `fields`. */
export function readWatermark(fields: FieldReader): WatermarkOptions {
  const pages = fields.string('pages', { max: 200 }) ?? null;
  if (pages !== null && selectPages(pages, 1_000_000) === undefined) fields.fail('pages', `The pages "${pages.slice(0, 40)}" are not a page list. ${PAGES}`);
  const color = fields.string('font_color', { max: 20 }) ?? '#000000';
  if (!COLOR.test(color)) fields.fail('font_color', `The font_color "${color.slice(0, 20)}" is not a colour. Give #rrggbb, e.g. #ff0000.`);
  const percent = (field: string): number | null => fields.integer(field, { min: 1, max: 100 }) ?? null;
  const pixels = (field: string): number | null => fields.integer(field, { min: 1, max: 100_000 }) ?? null;
  return {
    pages,
    layer: fields.oneOf('layer', WATERMARK_LAYERS) ?? 'above',
    ...readText(fields),
    fontSize: fields.integer('font_size', { min: 1, max: 2000 }) ?? 40,
    fontWidthPercent: percent('font_width_percent'),
    fontColor: COLOR.test(color) ? longColor(color) : '#000000',
    fontName: readFont(fields),
    fontAlign: fields.oneOf('font_align', FONT_ALIGNS) ?? 'center',
    imageWidth: pixels('image_width'),
    imageHeight: pixels('image_height'),
    imageWidthPercent: percent('image_width_percent'),
    positionVertical: fields.oneOf('position_vertical', VERTICAL_POSITIONS) ?? 'center',
    positionHorizontal: fields.oneOf('position_horizontal', HORIZONTAL_POSITIONS) ?? 'center',
    marginVertical: fields.integer('margin_vertical', { min: 0, max: 100_000 }) ?? 25,
    marginHorizontal: fields.integer('margin_horizontal', { min: 0, max: 100_000 }) ?? 25,
    opacity: fields.integer('opacity', { min: 1, max: 100 }) ?? 100,
    rotation: fields.integer('rotation', { min: -360, max: 360 }) ?? 0,
  };
}

const isWatermarkInput = (format: Format | undefined): format is (typeof WATERMARK_INPUTS)[number] => format !== undefined && (WATERMARK_INPUTS as readonly string[]).includes(format);

export const watermark: OperationHandler = {
  takesInput: true,
  inputFields: ['image'],
  check(payload) {
    const fields = new FieldReader(payload);
    readCommon(fields);
    const input = fields.string('input_format', { max: 40 });
    if (input !== undefined && !isWatermarkInput(normalizeFormat(input))) fields.fail('input_format', `A watermark is drawn on ${WATERMARK_INPUTS.join(', ')} files, not "${input.slice(0, 40)}".`);
    readWatermark(fields);
    fields.done();
    return { payload };
  },
  start(payload, inputs) {
    const options = readWatermark(new FieldReader(payload));
    const expected = options.image ? 2 : 1;
    if (inputs.length !== expected) throw appError('INVALID_PARAMETER', `watermark takes one file${options.image ? ' and one watermark image' : ''}; its input tasks made ${inputs.length} files. Use one task per file.`);
    const format = normalizeFormat(inputFormatOf(payload, inputs) ?? '');
    if (!isWatermarkInput(format)) throw appError('UNSUPPORTED_CONVERSION', `A watermark is drawn on ${WATERMARK_INPUTS.join(', ')} files, not on "${inputs[0]?.filename ?? ''}". Convert it first, or set input_format.`);
    const image = inputs[1];
    const imageFormat = image === undefined ? undefined : normalizeFormat(splitFilename(image.filename).ext);
    if (image !== undefined && (imageFormat === undefined || !(WATERMARK_IMAGE_FORMATS as readonly string[]).includes(imageFormat))) {
      throw appError('INVALID_PARAMETER', `The watermark image "${image.filename}" (the file of the task named in "image") is not an image. Give a ${WATERMARK_IMAGE_FORMATS.join(', ')} file.`);
    }
    const plan: WatermarkPlan = { mode: 'watermark', engine: 'watermark', inputFormat: format, outputFormat: format, group: FORMATS[format].group, options };
    const run = processFor(plan, inputs, payload);
    // The result is named after the marked file, not the watermark image.
    return run.kind === 'process' ? { kind: 'process', spec: { ...run.spec, filename: inputs[0]?.filename ?? `file.${format}` } } : run;
  },
};
