// The byte level of a multipart/form-data body (RFC 2046 section 5.1.1): finds the delimiters and
// the part header blocks in a stream of chunks of any size, and hands part data on as views of
// the chunks. Between chunks it keeps only what it cannot decide yet: a tail that may be the start
// of a delimiter (shorter than the delimiter) or a part's header block (at most
// MAX_PART_HEADER_BYTES), so its memory does not grow with the body.
import { appError, type AppError } from '../../core/errors.js';

/** Largest header block of one part; real ones are a few hundred bytes. */
export const MAX_PART_HEADER_BYTES = 16 * 1024;
/** Most bytes of transport padding allowed after a delimiter before its line ends. */
const MAX_PADDING_BYTES = 256;

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
const HEADER_END = [CR, LF, CR, LF] as const;

/** What the scanner found, in body order. Callbacks may throw; the error leaves `write`. */
export interface ScannerSink {
  /** A part begins: its raw header block (UTF-8 or Latin-1 bytes, may end with CRLFs). */
  partStart(header: Buffer): void;
  /** Bytes of the current part's body: a view of the written chunk, valid to keep (chunks are not reused). */
  partData(data: Buffer): void;
  /** The current part's body ended at a delimiter whose line is well formed (so a boundary string inside the data fails instead of ending the part early). */
  partEnd(): void;
  /** The closing delimiter `--boundary--` was read; everything after it is epilogue and ignored. */
  close(): void;
}

type State = 'preamble' | 'body' | 'delimiter-line' | 'headers' | 'closed';

export const malformed = (detail: string): AppError =>
  appError(
    'INVALID_PARAMETER',
    `The multipart body is malformed (${detail}): send multipart/form-data whose parts each start with a "--<boundary>" line, whose header block ends with an empty line, and whose last line is "--<boundary>--".`,
  );

export class MultipartScanner {
  private readonly delimiter: Buffer;
  private state: State = 'preamble';
  /** Set by stop(): no more callbacks, not even for the rest of the current chunk. */
  private stopped = false;
  /** Between a part's header block and its well-formed closing delimiter line. */
  private partOpen = false;
  /** Bytes held back between writes: a possible delimiter start, in preamble and body states. */
  private carry: Buffer;
  /** Delimiter-line state: bytes seen after the delimiter, and whether a CR or one dash came. */
  private lineBytes = 0;
  private lineCr = false;
  private lineDash = false;
  /** Headers state: the block so far and how much of CRLFCRLF has matched. */
  private header: Buffer[] = [];
  private headerBytes = 0;
  private headerMatched = 0;

  constructor(
    boundary: string,
    private readonly sink: ScannerSink,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
    // The first delimiter may open the body without a CRLF before it: a virtual CRLF lets one
    // search find it both there and after a preamble.
    this.carry = Buffer.from('\r\n');
  }

  /** Whether the closing delimiter has been read. */
  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Bytes kept between writes: bounded by the delimiter length or MAX_PART_HEADER_BYTES. */
  get heldBytes(): number {
    return this.carry.length + this.headerBytes;
  }

  /** Ignores the rest of the body: the remaining bytes of this and later writes reach no callback. */
  stop(): void {
    this.stopped = true;
    this.state = 'closed';
    this.carry = EMPTY;
    this.header = [];
    this.headerBytes = 0;
  }

  /** Scans one chunk; throws an INVALID_PARAMETER AppError when the body is malformed. */
  write(chunk: Buffer): void {
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = EMPTY;
    let pos = 0;
    while (pos < buf.length && !this.stopped) {
      switch (this.state) {
        case 'preamble':
        case 'body':
          pos = this.scanData(buf, pos);
          break;
        case 'delimiter-line':
          pos = this.scanDelimiterLine(buf, pos);
          break;
        case 'headers':
          pos = this.scanHeaders(buf, pos);
          break;
        case 'closed':
          return;
      }
    }
  }

  /** Preamble or part body: everything up to the next delimiter, minus a tail that may start one. */
  private scanData(buf: Buffer, pos: number): number {
    const inBody = this.state === 'body';
    const at = buf.indexOf(this.delimiter, pos);
    if (at >= 0) {
      this.state = 'delimiter-line';
      this.lineBytes = 0;
      this.lineCr = false;
      this.lineDash = false;
      if (inBody && at > pos) this.sink.partData(buf.subarray(pos, at));
      return at + this.delimiter.length;
    }
    const keep = this.partialDelimiterTail(buf, pos);
    const end = buf.length - keep;
    if (inBody && end > pos) this.sink.partData(buf.subarray(pos, end));
    // A copy, so a few held bytes do not pin a whole chunk in memory.
    this.carry = keep > 0 ? Buffer.from(buf.subarray(end)) : EMPTY;
    return buf.length;
  }

  /** Length of the longest tail of buf[pos..] that is a proper prefix of the delimiter. */
  private partialDelimiterTail(buf: Buffer, pos: number): number {
    const first = Math.max(pos, buf.length - (this.delimiter.length - 1));
    for (let start = first; start < buf.length; start++) {
      if (buf[start] !== CR) continue;
      const tail = buf.subarray(start);
      if (tail.equals(this.delimiter.subarray(0, tail.length))) return tail.length;
    }
    return 0;
  }

  /** After a delimiter: "--" closes the body; otherwise optional padding, then CRLF opens a part. */
  private scanDelimiterLine(buf: Buffer, pos: number): number {
    for (let i = pos; i < buf.length; i++) {
      const b = buf[i];
      this.lineBytes++;
      if (this.lineDash) {
        if (b !== DASH) throw malformed('a delimiter line is followed by a single "-"');
        this.state = 'closed';
        this.endPart();
        if (!this.stopped) this.sink.close();
        return buf.length;
      }
      if (this.lineCr) {
        if (b !== LF) throw malformed('a delimiter line ends with CR without LF');
        this.nextPart();
        return i + 1;
      }
      if (b === DASH && this.lineBytes === 1) this.lineDash = true;
      else if (b === CR) this.lineCr = true;
      else if (b === LF) {
        // A bare LF line end: tolerated, some hand-made clients send them.
        this.nextPart();
        return i + 1;
      } else if (b !== 0x20 && b !== 0x09) throw malformed('the boundary string appears inside a part; choose a boundary that is not in the data');
      if (this.lineBytes > MAX_PADDING_BYTES) throw malformed('a delimiter line is too long');
    }
    return buf.length;
  }

  private endPart(): void {
    if (!this.partOpen) return;
    this.partOpen = false;
    this.sink.partEnd();
  }

  /** A delimiter line ended: the part before it is complete and the next one's headers follow. */
  private nextPart(): void {
    this.state = 'headers';
    this.header = [];
    this.headerBytes = 0;
    // The delimiter line's CRLF counts: an empty header block is just one more CRLF.
    this.headerMatched = 2;
    this.endPart();
  }

  /** A part's header block, up to and including the empty line that ends it. */
  private scanHeaders(buf: Buffer, pos: number): number {
    let i = pos;
    while (i < buf.length && this.headerMatched < HEADER_END.length) {
      const b = buf[i];
      this.headerMatched = b === HEADER_END[this.headerMatched] ? this.headerMatched + 1 : b === CR ? 1 : 0;
      i++;
    }
    this.headerBytes += i - pos;
    if (this.headerBytes > MAX_PART_HEADER_BYTES) {
      throw malformed(`the header block of a part is longer than ${MAX_PART_HEADER_BYTES} bytes or never ends with an empty line`);
    }
    this.header.push(Buffer.from(buf.subarray(pos, i)));
    if (this.headerMatched === HEADER_END.length) {
      const block = Buffer.concat(this.header);
      this.header = [];
      this.headerBytes = 0;
      this.state = 'body';
      this.partOpen = true;
      this.sink.partStart(block);
    }
    return i;
  }
}

const EMPTY = Buffer.alloc(0);
