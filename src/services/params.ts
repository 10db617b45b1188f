// What the services accept, after the API has normalised every wire encoding (JSON, query,
// form, multipart, PHP brackets, legacy names) into these camelCase shapes.
import type { Mode } from '../core/catalog/index.js';
import type { InputMethod } from '../core/process/record.js';
import type { OutputRequest, StorageInput } from '../core/remote/locations.js';

export interface CreateParams {
  readonly mode: Mode | undefined;
  readonly inputformat: string | undefined;
  readonly outputformat: string | undefined;
}

/** One of several inputs (`files`): a URL, content, or a key/path in the user's storage, per `input`. */
export interface FileRef {
  readonly file: string;
  /** The file's name with its extension; from the URL or key when absent (required for raw/base64). */
  readonly filename: string | undefined;
  /** With input=s3 or ftp: the storage place of this file and the secret to read it. */
  readonly storage?: StorageInput;
}

/** At most this many inputs in one process (`files` or file parts). */
export const MAX_INPUT_FILES = 100;

export type DownloadMode = 'attachment' | 'inline' | false;

export interface StartParams {
  readonly mode: Mode | undefined;
  /** Absent `input` means upload (the Node client's pipe quick start sends none). */
  readonly input: InputMethod;
  readonly file: string | undefined;
  readonly filename: string | undefined;
  readonly tag: unknown;
  readonly inputformat: string | undefined;
  readonly outputformat: string | undefined;
  readonly converteroptions: Readonly<Record<string, unknown>> | undefined;
  /** Seconds; undefined or 0 means the account's maxtime. */
  readonly timeout: number | undefined;
  readonly wait: boolean;
  readonly download: DownloadMode;
  readonly save: boolean;
  /** URL to tell when the process ends. */
  readonly callback: string | undefined;
  /** `true`: the key's own address; a string: that address. */
  readonly email: true | string | undefined;
  /** Id of a preset whose options go under the explicit converteroptions. */
  readonly preset: string | undefined;
  /** With input=s3 or ftp: where the input is and the secret to read it. */
  readonly storageInput: StorageInput | undefined;
  /** Where the outputs go besides output.url (S3, FTP, a cloud drive). */
  readonly output: OutputRequest | undefined;
  /** Several inputs (mode=combine, mode=archive); undefined when the start names one file. */
  readonly files: readonly FileRef[] | undefined;
}

/** Where a request came from, for the URLs of a new process. */
export interface Origin {
  readonly host: string;
  readonly scheme: 'http' | 'https';
}
