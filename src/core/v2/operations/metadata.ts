// v2 `metadata` (read: mode=info's fields where an engine reads the format, with exiftool's tags)
// and `metadata/write` (tags written into a copy by exiftool). Tag names and values are checked
// here and again where exiftool's arguments are built.
import { appError } from '../../errors.js';
import { FORMATS, normalizeFormat, type Format } from '../../catalog/formats.js';
import { INFO_ENGINES } from '../../catalog/engine-catalog.js';
import { METADATA_READ_INPUTS, METADATA_WRITE_INPUTS, type MetadataReadPlan, type MetadataWritePlan } from '../../catalog/edit-plans.js';
import { checkMetadataTags } from '../../catalog/metadata-tags.js';
import { FieldReader } from './fields.js';
import { inputFormatOf, processFor, readCommon } from './processing.js';
import type { OperationHandler } from './types.js';

/** Every format the metadata operation reads, in a stable order. */
export const METADATA_FORMATS: readonly Format[] = [...new Set<Format>([...(Object.keys(INFO_ENGINES) as Format[]), ...METADATA_READ_INPUTS])];

const among = (formats: readonly Format[], value: string | undefined): Format | undefined => {
  const format = normalizeFormat(value ?? '');
  return format !== undefined && formats.includes(format) ? format : undefined;
};

/** An operation on one file of `formats` that keeps its format. */
function oneFileOperation(what: string, formats: readonly Format[], readFields: (fields: FieldReader) => void, planOf: (format: Format, payload: Readonly<Record<string, unknown>>) => MetadataReadPlan | MetadataWritePlan): OperationHandler {
  return {
    takesInput: true,
    check(payload) {
      const fields = new FieldReader(payload);
      readCommon(fields);
      const input = fields.string('input_format', { max: 40 });
      if (input !== undefined && among(formats, input) === undefined) fields.fail('input_format', `${what} reads ${formats.join(', ')} files, not "${input.slice(0, 40)}".`);
      readFields(fields);
      fields.done();
      return { payload };
    },
    start(payload, inputs) {
      if (inputs.length !== 1) throw appError('INVALID_PARAMETER', `${what} takes one file; its input tasks made ${inputs.length}. Use one task per file.`);
      const format = among(formats, inputFormatOf(payload, inputs));
      if (format === undefined) throw appError('UNSUPPORTED_CONVERSION', `${what} reads ${formats.join(', ')} files, not "${inputs[0]?.filename ?? ''}". Set input_format if the name has no extension.`);
      return processFor(planOf(format, payload), inputs, payload);
    },
  };
}

export const metadata = oneFileOperation('metadata', METADATA_FORMATS, () => undefined, (format) => ({ mode: 'metadata', engine: 'exiftool', inputFormat: format, outputFormat: format, group: FORMATS[format].group, options: {} }));

/** The checked tags, the problems recorded under `metadata`. */
function readTags(fields: FieldReader): Record<string, string> {
  const checked = checkMetadataTags(fields.payload.metadata);
  if ('problems' in checked) for (const problem of checked.problems) fields.fail('metadata', problem);
  return 'tags' in checked ? checked.tags : {};
}

export const metadataWrite = oneFileOperation('metadata/write', METADATA_WRITE_INPUTS, (fields) => void readTags(fields), (format, payload) => ({
  mode: 'metadata-write',
  engine: 'exiftool',
  inputFormat: format,
  outputFormat: format,
  group: FORMATS[format].group,
  options: { tags: readTags(new FieldReader(payload)) },
}));
