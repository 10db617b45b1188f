// Bounds on the text fields of a multipart body, enforced while the body arrives. The multipart
// parser buffers each field whole before handing it over, so counting completed fields alone
// would let one request without a key make the server buffer MAX_BODY_MB per field. The meter
// counts the raw bytes received minus the bytes handed to file parts: that is what the parser
// holds as text, and it stops the request as soon as a budget is passed.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { appError, type AppError } from '../../core/errors.js';

export interface FieldBounds {
  /** Bytes all text fields of one request may hold together (413 beyond). */
  readonly totalBytes: number;
  /** While no valid key is known: the smaller budget (401 beyond). Undefined: the caller is known. */
  readonly beforeKeyBytes?: number;
  /** Judges an `apikey` field; true for a valid key, which lifts the budget to totalBytes. */
  readonly acceptKey?: (key: string) => Promise<boolean>;
}

/** Multipart framing (boundaries, part headers) and data the parser has not reached yet. */
const SLACK_BYTES = 256 * 1024;

const MiB = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

export const keyFirstError = (budget: number): AppError =>
  appError('API_KEY_MISSING', `The text fields sent before the API key pass ${MiB(budget)}. Send the API key first: as "Authorization: Bearer <key>", as apikey in the query string, or as an apikey field before the large fields.`);

export const fieldsTooLarge = (total: number): AppError =>
  appError('TOO_LARGE', `The text fields of this request add up to more than ${MiB(total)} (MAX_BODY_MB). Send large files as a file part or with input=upload instead of raw or base64 fields.`);

export class FieldMeter {
  private raw = 0;
  private fieldBytes = 0;
  private keyKnown: boolean;
  private readonly files: Readable[] = [];
  private tripped: ((error: AppError) => void) | undefined;
  /** Rejects once a budget is passed; only ever awaited in a race, so it never goes unhandled. */
  readonly exceeded: Promise<never>;

  constructor(
    private readonly request: IncomingMessage,
    private readonly bounds: FieldBounds,
  ) {
    this.keyKnown = bounds.beforeKeyBytes === undefined;
    this.exceeded = new Promise<never>((_, reject) => (this.tripped = reject));
    this.exceeded.catch(() => undefined);
    request.on('data', this.onData);
  }

  private get limit(): number {
    return this.keyKnown ? this.bounds.totalBytes : Math.min(this.bounds.totalBytes, this.bounds.beforeKeyBytes ?? Infinity);
  }

  private get error(): AppError {
    return this.keyKnown ? fieldsTooLarge(this.bounds.totalBytes) : keyFirstError(this.limit);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.raw += chunk.length;
    const inFiles = this.files.reduce((sum, file) => sum + ((file as { bytesRead?: number }).bytesRead ?? 0), 0);
    if (this.raw - inFiles > this.limit + SLACK_BYTES) this.trip(this.error);
  };

  /** Stops parsing: the parser gets no more bytes, a file part being read fails with `error`. */
  private trip(error: AppError): void {
    if (this.tripped === undefined) return;
    this.stop();
    this.request.unpipe();
    for (const file of this.files) if (!file.readableEnded) file.destroy(error);
    this.tripped(error);
    this.tripped = undefined;
  }

  /** A file part: its bytes are not text. */
  trackFile(file: Readable): void {
    this.files.push(file);
  }

  /** A complete text field: counted exactly; an `apikey` field may lift the budget. */
  async addField(name: string, value: string, truncated: boolean): Promise<void> {
    this.fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
    if (truncated || this.fieldBytes > this.limit) throw this.error;
    if (!this.keyKnown && (name === 'apikey' || name === 'apiKey') && this.bounds.acceptKey !== undefined) {
      this.keyKnown = await this.bounds.acceptKey(value);
    }
  }

  stop(): void {
    this.request.off('data', this.onData);
  }
}
