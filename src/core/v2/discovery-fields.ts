// The fields of the operations that are not catalog conversions (imports and exports), as GET
// /v2/operations?include=options shows them. The checks in operations/imports.ts and exports.ts
// decide what is accepted; this table only describes them (a unit test checks that every field
// a check requires is listed here).
import { DEFAULT_S3_REGION, S3_ACLS } from '../remote/locations.js';
import { CLOUD_TRANSFER_FIELDS } from './discovery-cloud-fields.js';
import type { Operation } from './model.js';

/** Option types of the wire (the CLI and the Java SDK know these). */
export const OPTION_TYPES = ['string', 'integer', 'float', 'boolean', 'enum'] as const;
export type OptionType = (typeof OPTION_TYPES)[number];

/** One option of an operation as the wire shows it. */
export interface OperationOption {
  readonly name: string;
  readonly type: OptionType;
  /** A scalar or null, never an object (the Java SDK reads it as a String). */
  readonly default: string | number | boolean | null;
  /** Only for `type: 'enum'`. */
  readonly possible_values?: readonly string[];
  readonly description?: string;
}

const text = (name: string, description: string, fallback: string | null = null): OperationOption => ({ name, type: 'string', default: fallback, description });
const flag = (name: string, description: string): OperationOption => ({ name, type: 'boolean', default: false, description });

const FILENAME = text('filename', 'Name of the imported file (a name without folders).');

/** The bucket fields both S3 operations take; the credentials are stored sealed and never shown back. */
const S3_BUCKET: readonly OperationOption[] = [
  text('bucket', 'The S3 bucket (required).'),
  text('region', 'The bucket\'s region.', DEFAULT_S3_REGION),
  text('endpoint', 'The URL of an S3-compatible service (empty: AWS).'),
  text('access_key_id', 'The access key id (required; kept sealed, never shown back).'),
  text('secret_access_key', 'The secret access key (required; kept sealed, never shown back).'),
  text('session_token', 'A session token for temporary credentials (kept sealed, never shown back).'),
];

/** Operations that move files in or out: no formats, no engine of the catalog. */
export const TRANSFER_OPERATIONS = [
  'import/url',
  'import/upload',
  'import/base64',
  'import/raw',
  'import/s3',
  'import/azure/blob',
  'import/google-cloud-storage',
  'import/openstack',
  'export/url',
  'export/s3',
  'export/azure/blob',
  'export/google-cloud-storage',
  'export/openstack',
] as const satisfies readonly Operation[];
export type TransferOperation = (typeof TRANSFER_OPERATIONS)[number];

export const TRANSFER_FIELDS: Readonly<Record<TransferOperation, readonly OperationOption[]>> = {
  'import/url': [text('url', 'The http(s) URL to download (required).'), FILENAME],
  'import/upload': [text('redirect', 'Where the upload form redirects the browser after the upload.')],
  'import/base64': [text('file', 'The file content, base64-encoded (required).'), text('filename', 'Name of the file (required).')],
  'import/raw': [text('file', 'The file content as text (required).'), text('filename', 'Name of the file (required).')],
  'import/s3': [...S3_BUCKET, text('key', 'The object key to import (required).'), FILENAME],
  ...CLOUD_TRANSFER_FIELDS,
  'export/url': [
    flag('inline', 'Serve the files for display in the browser instead of as downloads.'),
    flag('archive_multiple_files', 'Several input files become one ZIP file.'),
  ],
  'export/s3': [
    ...S3_BUCKET,
    text('key', 'The object key of a single file.'),
    text('key_prefix', 'A prefix under which each file is stored with its name.'),
    { name: 'acl', type: 'enum', default: null, possible_values: S3_ACLS, description: 'The canned ACL of the stored objects (empty: the bucket\'s default).' },
  ],
};

/** The `url` field of capture-website: the page is its input. */
export const CAPTURE_URL = text('url', 'The http(s) URL of the page to capture (required).');
