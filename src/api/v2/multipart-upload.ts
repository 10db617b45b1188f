// The body of an API v2 upload (the form of an import/upload task, wire spec section 7): the
// form's parameters as text fields, then the part named "file", streamed to the caller. Written
// by hand instead of @fastify/multipart because busboy drops or mangles the unquoted UTF-8 file
// name the Node SDK 3 sends (see multipart-headers.ts). Memory per upload is bounded by design:
// the scanner holds less than one delimiter between chunks, the file stream at most
// FILE_HIGH_WATER_MARK plus one chunk before the body is paused, and fields are capped by limits.
import { Readable } from 'node:stream';
import { appError, type AppError } from '../../core/errors.js';
import { boundaryOf, decodeText, describePart } from './multipart-headers.js';
import { MultipartScanner, type ScannerSink } from './multipart-scanner.js';

export interface UploadLimits {
  /** Most parts before the file part (the form's parameters); one more is an INVALID_PARAMETER error. */
  readonly maxFields: number;
  /** Most bytes of one text field's value; a longer one is an INVALID_PARAMETER error. */
  readonly maxFieldBytes: number;
}

/** What the file stream buffers for a slow consumer before the body is paused. */
export const FILE_HIGH_WATER_MARK = 64 * 1024;

type Fields = Readonly<Record<string, string>>;

/**
 * Reads a multipart body: text fields before the file part are collected; the first part named "file"
 * is handed to `handle` as a stream (with the client's file name: quoted, unquoted to end of line, or filename*;
 * decoded as UTF-8; path components stripped; "" when the part names none) together with the fields read so far;
 * parts after the file are drained and ignored. Resolves with handle's result.
 * A body that ends or fails before the file part is complete destroys the file stream with an
 * INVALID_PARAMETER error, and readUpload rejects with it even if `handle` resolved. If `handle`
 * rejects, the rest of the body is drained and its error rethrown. If `handle` resolves without
 * reading the whole file, the file stream is destroyed and the rest of the body drained.
 */
export async function readUpload<R>(
  body: Readable,
  contentType: string | undefined,
  limits: UploadLimits,
  handle: (file: Readable, filename: string, fields: Fields) => Promise<R>,
): Promise<R> {
  const reader = new UploadReader(body, boundaryOf(contentType), limits);
  const found = await reader.fileFound;
  let result: R;
  try {
    result = await handle(found.file, found.filename, found.fields);
  } catch (error) {
    reader.abandon();
    throw error;
  }
  reader.settle();
  return result;
}

interface FoundFile {
  readonly file: Readable;
  readonly filename: string;
  readonly fields: Fields;
}

interface FieldPart {
  readonly name: string | undefined;
  readonly chunks: Buffer[];
  bytes: number;
}

const noFilePart = (): AppError =>
  appError('INVALID_PARAMETER', 'The upload has no file part: send the form\'s parameters as text fields first and the file as the last part named "file".');

const cutShort = (cause?: unknown): AppError =>
  appError(
    'INVALID_PARAMETER',
    'The upload body ended before the file part was complete (no boundary line after the file): send the whole multipart body, ending with "--<boundary>--".',
    cause,
  );

/** One upload body: feeds the scanner, collects fields, and streams the file part with backpressure. */
class UploadReader implements ScannerSink {
  readonly fileFound: Promise<FoundFile>;
  private resolveFound: (found: FoundFile) => void = () => undefined;
  private rejectFound: (error: Error) => void = () => undefined;
  private readonly scanner: MultipartScanner;
  private readonly fields: Record<string, string> = Object.create(null) as Record<string, string>;
  private partCount = 0;
  private field: FieldPart | undefined;
  private file: Readable | undefined;
  private fileDone = false;
  /** The error the file stream was destroyed with when the body failed while it streamed. */
  private failure: Error | undefined;
  /** After the file part or a failure: the rest of the body is read and dropped. */
  private discarding = false;
  private pausedForFile = false;

  constructor(
    private readonly body: Readable,
    boundary: string,
    private readonly limits: UploadLimits,
  ) {
    this.scanner = new MultipartScanner(boundary, this);
    this.fileFound = new Promise<FoundFile>((resolve, reject) => {
      this.resolveFound = resolve;
      this.rejectFound = reject;
    });
    // The error listener stays for the body's lifetime: an error while draining must not crash the process.
    body.on('error', (error) => this.stopWith(cutShort(error)));
    body.on('end', () => this.stopWith(this.file === undefined ? noFilePart() : cutShort()));
    body.on('close', () => {
      if (!body.readableEnded) this.stopWith(cutShort());
    });
    body.on('data', (chunk: Buffer | string) => {
      if (this.discarding) return;
      try {
        this.scanner.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      } catch (error) {
        this.stopWith(error instanceof Error ? error : new Error(String(error)));
      }
    });
    // A body paused before it got here would not start flowing just by a 'data' listener.
    body.resume();
  }

  /** handle rejected: release the file stream and drain the body so the error reply can be sent. */
  abandon(): void {
    this.discarding = true;
    this.scanner.stop();
    if (this.file !== undefined && !this.fileDone && !this.file.destroyed) this.file.destroy();
    this.resumeBody();
  }

  /** handle resolved: the body's failure wins over its result; an unread rest of the file is dropped. */
  settle(): void {
    if (this.failure !== undefined) throw this.failure;
    if (!this.fileDone) this.abandon();
  }

  partStart(header: Buffer): void {
    const { name, filename } = describePart(header);
    if (name === 'file') {
      this.startFile(filename ?? '');
      return;
    }
    this.partCount++;
    if (this.partCount > this.limits.maxFields) {
      throw appError(
        'INVALID_PARAMETER',
        `The upload has more than ${this.limits.maxFields} parts before the file: send only the form's parameters, then the file as the last part named "file".`,
      );
    }
    this.field = { name, chunks: [], bytes: 0 };
  }

  partData(data: Buffer): void {
    const field = this.field;
    if (field === undefined) {
      this.pushFile(data);
      return;
    }
    field.bytes += data.length;
    if (field.bytes > this.limits.maxFieldBytes) {
      throw appError(
        'INVALID_PARAMETER',
        `The form field "${(field.name ?? '').slice(0, 80)}" is longer than ${this.limits.maxFieldBytes} bytes: send the upload form's parameters unchanged, then the file as the last part named "file".`,
      );
    }
    // A copy: a view would keep the whole chunk it came in alive.
    field.chunks.push(Buffer.from(data));
  }

  partEnd(): void {
    const field = this.field;
    if (field !== undefined) {
      if (field.name !== undefined) this.fields[field.name] = decodeText(Buffer.concat(field.chunks));
      this.field = undefined;
      return;
    }
    // The end of the file part: anything after it is ignored (the form puts the file last).
    this.fileDone = true;
    this.discarding = true;
    this.scanner.stop();
    this.file?.push(null);
    this.resumeBody();
  }

  close(): void {
    throw noFilePart();
  }

  private startFile(filename: string): void {
    const file = new Readable({ highWaterMark: FILE_HIGH_WATER_MARK, read: () => this.resumeBody() });
    // The body can fail before handle has attached to the stream; the error then stays on the
    // destroyed stream (stream.errored) for pipeline/for-await to report, instead of crashing the process.
    file.on('error', () => undefined);
    // A consumer that destroys the stream early wants no more: drain instead of pausing forever.
    file.on('close', () => {
      if (!this.fileDone) {
        this.discarding = true;
        this.scanner.stop();
        this.resumeBody();
      }
    });
    this.file = file;
    // Null prototype: a field named "__proto__" or "toString" is just a field.
    const fields = Object.freeze(Object.assign(Object.create(null) as Record<string, string>, this.fields));
    this.resolveFound({ file, filename, fields });
  }

  private pushFile(data: Buffer): void {
    const file = this.file;
    if (file === undefined || file.destroyed) return;
    if (!file.push(data)) {
      this.pausedForFile = true;
      this.body.pause();
    }
  }

  private resumeBody(): void {
    if (this.pausedForFile || this.discarding) {
      this.pausedForFile = false;
      this.body.resume();
    }
  }

  /** The body failed or ended early: before the file readUpload rejects; during it the file stream fails. */
  private stopWith(error: Error): void {
    if (this.discarding) return;
    this.discarding = true;
    this.scanner.stop();
    this.resumeBody();
    if (this.file === undefined) {
      this.rejectFound(error);
    } else if (!this.fileDone) {
      this.failure = error;
      this.file.destroy(error);
    }
  }
}
