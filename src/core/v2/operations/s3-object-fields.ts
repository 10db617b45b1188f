// export/s3's per-object fields (wire spec 6.3): cache_control, metadata, server_side_encryption
// and tagging, checked against what S3 itself accepts so a bad value is a 422 naming its field
// rather than a failed upload later.
import { S3_ENCRYPTIONS, type S3Encryption, type S3ObjectFields } from '../../remote/locations.js';
import type { FieldReader } from './fields.js';

const PRINTABLE = /^[\x20-\x7e]*$/;
/** HTTP header name characters: metadata keys become x-amz-meta-<key>. */
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** S3's tag characters: letters, digits, spaces and + - = . _ : / @. */
const TAG_TEXT = /^[\p{L}\p{N} +\-=._:/@]*$/u;
/** S3 keeps at most 2 KB of user metadata per object, and 10 tags. */
const MAX_METADATA_BYTES = 2048;
const MAX_TAGS = 10;

function metadataProblem(map: Readonly<Record<string, string>>): string | undefined {
  const entries = Object.entries(map);
  const badKey = entries.find(([k]) => !TOKEN.test(k));
  if (badKey !== undefined) return `The metadata key "${badKey[0].slice(0, 40)}" is not allowed: use letters, digits and - _ . only (it becomes the header x-amz-meta-<key>).`;
  if (entries.some(([, v]) => !PRINTABLE.test(v))) return 'Every metadata value must be printable ASCII text (S3 sends it as a header).';
  const bytes = entries.reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  return bytes > MAX_METADATA_BYTES ? `The metadata adds up to ${bytes} bytes; S3 keeps at most ${MAX_METADATA_BYTES}.` : undefined;
}

function taggingProblem(map: Readonly<Record<string, string>>): string | undefined {
  const entries = Object.entries(map);
  if (entries.length > MAX_TAGS) return `The tagging object has ${entries.length} tags; S3 allows at most ${MAX_TAGS}.`;
  const bad = entries.find(([k, v]) => k === '' || k.length > 128 || v.length > 256 || !TAG_TEXT.test(k) || !TAG_TEXT.test(v));
  return bad === undefined ? undefined : `The tag "${bad[0].slice(0, 40)}" is not allowed: keys have 1 to 128 and values at most 256 characters of letters, digits, spaces and + - = . _ : / @.`;
}

function encryption(fields: FieldReader): S3Encryption | undefined {
  const value = fields.string('server_side_encryption', { max: 40 });
  if (value === undefined) return undefined;
  const found = S3_ENCRYPTIONS.find((e) => e.toLowerCase() === value.toLowerCase());
  return found ?? fields.fail('server_side_encryption', `The selected server_side_encryption "${value}" is invalid. Valid values: ${S3_ENCRYPTIONS.join(', ')}.`);
}

/** Reads the four fields, adding an error per bad one to `fields`; undefined when none is given. */
export function readS3ObjectFields(fields: FieldReader): S3ObjectFields | undefined {
  const cacheControl = fields.string('cache_control', { max: 1024 });
  if (cacheControl !== undefined && !PRINTABLE.test(cacheControl)) fields.fail('cache_control', 'The cache_control field must be printable ASCII text, e.g. "max-age=3600, public".');
  const metadata = fields.stringMap('metadata');
  const metaProblem = metadata === undefined ? undefined : metadataProblem(metadata);
  if (metaProblem !== undefined) fields.fail('metadata', metaProblem);
  const tagging = fields.stringMap('tagging');
  const tagProblem = tagging === undefined ? undefined : taggingProblem(tagging);
  if (tagProblem !== undefined) fields.fail('tagging', tagProblem);
  const serverSideEncryption = encryption(fields);
  const object: S3ObjectFields = {
    ...(cacheControl === undefined ? {} : { cacheControl }),
    ...(metadata === undefined ? {} : { metadata }),
    ...(serverSideEncryption === undefined ? {} : { serverSideEncryption }),
    ...(tagging === undefined ? {} : { tagging }),
  };
  return Object.keys(object).length === 0 ? undefined : object;
}
