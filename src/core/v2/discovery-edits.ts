// The fields of watermark and metadata/write as GET /v2/operations?include=options shows them.
// The checks in operations/watermark.ts and operations/metadata.ts decide what is accepted; this
// table describes them (a unit test checks the enum values against the checks' lists).
import { FONT_ALIGNS, HORIZONTAL_POSITIONS, VERTICAL_POSITIONS, WATERMARK_FONT_NAMES, WATERMARK_LAYERS } from '../catalog/edit-plans.js';
import { MAX_METADATA_TAGS, MAX_METADATA_VALUE } from '../catalog/metadata-tags.js';
import type { OperationOption } from './discovery-fields.js';

const int = (name: string, fallback: number | null, description: string): OperationOption => ({ name, type: 'integer', default: fallback, description });
const choice = (name: string, values: readonly string[], fallback: string, description: string): OperationOption => ({ name, type: 'enum', default: fallback, possible_values: values, description });
const text = (name: string, description: string, fallback: string | null = null): OperationOption => ({ name, type: 'string', default: fallback, description });

export const WATERMARK_FIELDS: readonly OperationOption[] = [
  text('pages', 'PDF pages to mark, e.g. "1,3" or "2-4" (empty: every page).'),
  choice('layer', WATERMARK_LAYERS, 'above', 'above: over the content; below: under it (shows through transparent parts; on PDFs the page paints over it).'),
  text('text', 'The watermark text (line breaks allowed). Give text or image.'),
  int('font_size', 40, 'Font size in pixels (images) or points (PDF), 1-2000.'),
  int('font_width_percent', null, 'Scale the text to this percentage of the page width (1-100); overrides font_size.'),
  text('font_color', 'Text colour, #rrggbb.', '#000000'),
  choice('font_name', WATERMARK_FONT_NAMES, 'Arial', 'Font; names map to the metric-compatible fonts installed (Liberation, Carlito, Caladea, Noto CJK); PDFs use the standard font of the same metrics.'),
  choice('font_align', FONT_ALIGNS, 'center', 'Alignment of the lines of a multi-line text.'),
  text('image', 'The name (in a job) or id of the task whose file is the watermark image (png, jpg, webp, gif, tiff, avif, svg). Give text or image.'),
  int('image_width', null, 'Width of the watermark image in pixels (PDF: points); the height keeps the aspect ratio unless given.'),
  int('image_height', null, 'Height of the watermark image in pixels (PDF: points).'),
  int('image_width_percent', null, 'Width of the watermark image as a percentage of the page width (1-100).'),
  choice('position_vertical', VERTICAL_POSITIONS, 'center', 'Where the watermark sits vertically.'),
  choice('position_horizontal', HORIZONTAL_POSITIONS, 'center', 'Where the watermark sits horizontally.'),
  int('margin_vertical', 25, 'Distance from the top or bottom edge, in pixels (PDF: points).'),
  int('margin_horizontal', 25, 'Distance from the left or right edge, in pixels (PDF: points).'),
  int('opacity', 100, 'Opacity in percent, 1-100.'),
  int('rotation', 0, 'Rotation in degrees, counter-clockwise, -360 to 360.'),
];

/** `metadata` is an object: shown as a string option whose description says its shape. */
export const METADATA_WRITE_FIELDS: readonly OperationOption[] = [
  text(
    'metadata',
    `An object of tag names and string or number values, e.g. {"Title": "Report", "Author": "Ann", "XMP-dc:Subject": "Q3"}: at most ${MAX_METADATA_TAGS} tags, values up to ${MAX_METADATA_VALUE} characters without line breaks. File-system tags (FileName, Directory, FileModifyDate...) and tags exiftool marks unsafe are refused.`,
  ),
];
