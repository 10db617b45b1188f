// The fields of the operations that are not catalog conversions (imports and exports), as GET
// /v2/operations?include=options shows them. The checks in operations/imports.ts and exports.ts
// decide what is accepted; this table only describes them (a unit test checks that every field
// a check requires is listed here).
import { DEFAULT_S3_REGION, DEFAULT_SFTP_PORT, S3_ACLS, S3_ENCRYPTIONS } from '../remote/locations.js';
import { CLOUD_TRANSFER_FIELDS } from './discovery-cloud-fields.js';
import { OPERATIONS, type Operation } from './model.js';
import { MAX_LISTED_OBJECTS } from '../remote/listings.js';

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

/** The server and login fields both SFTP operations take; the secrets are stored sealed and never shown back. */
const SFTP_LOGIN: readonly OperationOption[] = [
  text('host', 'The SFTP server\'s host name or IP address (required).'),
  { name: 'port', type: 'integer', default: DEFAULT_SFTP_PORT, description: 'The SFTP server\'s port (a number or a numeric string).' },
  text('username', 'The login name (required).'),
  text('password', 'The login\'s password (this or private_key is required; kept sealed, never shown back).'),
  text('private_key', 'The login\'s private key, OpenSSH or PEM (kept sealed, never shown back).'),
  text('passphrase', 'The passphrase of an encrypted private_key (kept sealed, never shown back).'),
  text('host_key', 'The server\'s host key fingerprint to pin, e.g. "SHA256:47DEQpj8..." as ssh-keygen -l prints it (empty: any key is accepted on first use).'),
];

/** Operations that move files in or out: no formats, no engine of the catalog. */
export type TransferOperation = Extract<Operation, `import/${string}` | `export/${string}`>;
export const TRANSFER_OPERATIONS: readonly TransferOperation[] = OPERATIONS.filter((o): o is TransferOperation => o.startsWith('import/') || o.startsWith('export/'));

export const TRANSFER_FIELDS: Readonly<Record<TransferOperation, readonly OperationOption[]>> = {
  'import/url': [text('url', 'The http(s) URL to download (required).'), FILENAME],
  'import/upload': [text('redirect', 'Where the upload form redirects the browser after the upload.')],
  'import/base64': [text('file', 'The file content, base64-encoded (required).'), text('filename', 'Name of the file (required).')],
  'import/raw': [text('file', 'The file content as text (required).'), text('filename', 'Name of the file (required).')],
  'import/s3': [...S3_BUCKET, text('key', 'The object key to import (this or key_prefix is required).'), text('key_prefix', `Instead of key: import every object whose name starts with this prefix (at most ${MAX_LISTED_OBJECTS} objects, folder markers skipped); each becomes a file of the task named after its last segment.`), FILENAME],
  'import/sftp': [...SFTP_LOGIN, text('file', 'The path of the file to import on the server (this or path is required).'), text('path', `Instead of file: a folder whose regular files are imported (not its sub-folders; at most ${MAX_LISTED_OBJECTS} files), each a file of the task.`), FILENAME],
  ...CLOUD_TRANSFER_FIELDS,
  'export/url': [
    flag('inline', 'Serve the files for display in the browser instead of as downloads.'),
    flag('archive_multiple_files', 'Several input files become one ZIP file.'),
  ],
  'export/s3': [
    ...S3_BUCKET,
    text('key', 'The object key of a single file; with %d, several files are numbered from 1 (page-%d.png).'),
    text('key_prefix', 'A prefix under which each file is stored with its name.'),
    { name: 'acl', type: 'enum', default: null, possible_values: S3_ACLS, description: 'The canned ACL of the stored objects (empty: the bucket\'s default).' },
    text('cache_control', 'The Cache-Control header of the stored objects, e.g. "max-age=3600".'),
    text('metadata', 'An object of strings stored as the objects\' user metadata (x-amz-meta-*; at most 2 KB).'),
    { name: 'server_side_encryption', type: 'enum', default: null, possible_values: S3_ENCRYPTIONS, description: 'Server-side encryption of the stored objects.' },
    text('tagging', 'An object of strings stored as the objects\' tags (at most 10).'),
  ],
  'export/sftp': [
    ...SFTP_LOGIN,
    text('file', 'The path of a single file to write (folders are created; an existing file is replaced).'),
    text('path', 'A folder in which each file is written with its own name.'),
  ],
};

/** The fields of the command operation (src/core/v2/operations/command.ts checks them). */
export const COMMAND_FIELDS: Readonly<Record<'ffmpeg' | 'imagemagick', readonly OperationOption[]>> = {
  ffmpeg: [
    { name: 'command', type: 'enum', default: 'ffmpeg', possible_values: ['ffmpeg', 'ffprobe'], description: 'The tool to run (required).' },
    text('arguments', 'Its arguments, split like a shell without one (quotes group words). Inputs are /input/<task name>/<filename>, outputs go to /output/; other paths, "..", URLs and protocols are refused (required).'),
    flag('capture_output', 'Put the tool\'s stdout and stderr (bounded) into result.output.'),
  ],
  imagemagick: [
    { name: 'command', type: 'enum', default: 'convert', possible_values: ['convert', 'identify'], description: 'The ImageMagick 6 tool to run (required).' },
    text('arguments', 'Its arguments, split like a shell without one. Inputs are /input/<task name>/<filename>, outputs go to /output/; other paths, "..", "@file" and coders that read scripts, text or URLs are refused (required).'),
    flag('capture_output', 'Put the tool\'s stdout and stderr (bounded) into result.output.'),
  ],
};

/** The `url` field of capture-website: the page is its input. */
export const CAPTURE_URL = text('url', 'The http(s) URL of the page to capture (required).');

/** The password fields of pdf/encrypt and pdf/decrypt (sealed with the task, never shown back). */
export const PDF_PASSWORD_OPTIONS: Readonly<Record<'pdf/encrypt' | 'pdf/decrypt', readonly OperationOption[]>> = {
  'pdf/encrypt': [
    text('set_password', 'The password needed to open the PDF (AES-256; set_password or set_owner_password is required; kept sealed, never shown back).'),
    text('set_owner_password', 'The password that lifts the allow_* restrictions (empty: set_password; kept sealed, never shown back).'),
  ],
  'pdf/decrypt': [text('password', 'The password that opens the PDF (the user or the owner password; kept sealed, never shown back).')],
};
