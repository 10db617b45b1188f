// The stored state of one process. Wire names (the status object) are produced from this by
// src/api/mappers; inside the server the names are camelCase.
import type { ConversionPlan } from '../catalog/resolve.js';
import type { Mode } from '../catalog/index.js';
import type { ErrorCode } from '../errors.js';
import type { ListingSource } from '../remote/listings.js';
import type { DeliveredOutput, OutputTarget, RemoteInputSource } from '../remote/locations.js';
import type { Step } from './steps.js';

export const INPUT_METHODS = ['upload', 'raw', 'base64', 'download', 's3', 'ftp', 'sftp'] as const;
export type InputMethod = (typeof INPUT_METHODS)[number];

/** Where the worker finds one input: in the file store, at a URL, or in the user's S3/FTP/SFTP storage (no secrets here). */
export type SingleInputSource =
  | { readonly kind: 'stored'; readonly key: string }
  | { readonly kind: 'download'; readonly url: string }
  | RemoteInputSource;

/** One of several inputs, with the name it has in the job's folder (unique among them). */
export interface NamedInput {
  readonly source: SingleInputSource;
  readonly filename: string;
}

/**
 * The input of a process: one source, several in order (mode=combine, mode=archive), or every
 * object of a listing (API v2's prefix imports; the worker expands it into several).
 */
export type InputSource = SingleInputSource | { readonly kind: 'many'; readonly files: readonly NamedInput[] } | ListingSource;

export interface InputFileInfo {
  readonly type: InputMethod;
  readonly filename?: string;
  readonly name?: string;
  readonly ext?: string;
  readonly size?: number;
}

export interface OutputInfo {
  /** The single output's name, or `<name>.zip` when there are several files. */
  readonly filename: string;
  readonly ext: string;
  readonly size: number;
  /** Present when there are several output files; each is downloadable on its own. */
  readonly files?: readonly string[];
  /** Where the files were also delivered (the `output` parameter), without secrets. */
  readonly storage?: DeliveredOutput;
}

/** The request that handed a process to the queue, so the worker's logs and spans can name it. */
export interface RequestTrace {
  /** The request's id (its valid X-Request-Id, or one the API made up). */
  readonly requestId: string;
  /** W3C trace context of the request's span (absent when tracing is off). */
  readonly traceparent?: string;
}

export interface ProcessRecord {
  readonly id: string;
  /** Account id (a hash of the API key), never the key itself. */
  readonly owner: string;
  /** `host[:port]` put into every URL of this process. */
  readonly host: string;
  readonly scheme: 'http' | 'https';
  readonly createdAt: number;
  readonly mode: Mode;
  readonly inputFormat?: string;
  readonly outputFormat?: string;
  readonly step: Step;
  readonly percent: number;
  readonly message: string;
  readonly started: boolean;
  readonly startTime?: number;
  readonly endTime?: number;
  /** Unix seconds when the files go (and, before start, when the process expires). */
  readonly expire: number;
  readonly input?: InputFileInfo;
  readonly inputSource?: InputSource;
  /** The base name of the result when the client chose it (`filename` of mode=combine/archive). */
  readonly outputName?: string;
  readonly plan?: ConversionPlan;
  readonly output?: OutputInfo;
  /** Where the outputs go besides output.url (the `output` parameter), without secrets. */
  readonly outputTarget?: OutputTarget;
  /** Output files fetched once; when all are, the files are deleted (unless `save`). */
  readonly downloaded?: readonly string[];
  readonly filesDeleted?: boolean;
  readonly save: boolean;
  readonly tag?: unknown;
  readonly timeoutSeconds: number;
  readonly uploadToken: string;
  readonly downloadToken: string;
  readonly errorCode?: ErrorCode;
  /** Seconds the conversion ran on a worker (not the time queued or waiting for an upload). */
  readonly runSeconds?: number;
  /** URL told when the process ends (GET with id, url, step). */
  readonly callback?: string;
  /** Address mailed when the process ends. */
  readonly email?: string;
  /** What the start could not do as asked (e.g. no e-mail without SMTP): shown in the status as `notice`. */
  readonly notice?: string;
  readonly info?: Readonly<Record<string, unknown>>;
  /** The request that started the process (or uploaded its input), for the worker's logs and spans. */
  readonly trace?: RequestTrace;
  /** The API v2 task this process runs (internal processes are not listed among the key's v1 processes). */
  readonly task?: string;
}

export type ProcessPatch = Partial<Omit<ProcessRecord, 'id' | 'owner' | 'createdAt' | 'uploadToken' | 'downloadToken'>>;
