// File parts that reach /convert before the API key (one Go client puts the file part first) are
// spooled to temp files until the key has been checked. All requests spooling without a known
// key share one budget (UNAUTHENTICATED_SPOOL_MB) in this process, whose disk they use, so
// keyless requests cannot fill it; past the budget they are told to send the key first.
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { appError } from '../core/errors.js';

/** Bytes shared by concurrent requests of this process. */
export class SharedBudget {
  private used = 0;
  constructor(readonly limitBytes: number) {}

  /** Takes `bytes` if they fit, else takes nothing and says so. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limitBytes) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  /** Bytes taken right now (for tests and metrics). */
  get inUse(): number {
    return this.used;
  }
}

const budgetSpent = () =>
  appError('API_KEY_MISSING', 'Too much is being uploaded without an API key right now. Send the API key before the file: as "Authorization: Bearer <key>", as apikey in the query string, or as an apikey field before the file part.');

/** The spooled files of one request. Call `discard` in every outcome. */
export class Spool {
  private readonly files: Array<{ readonly path: string; readonly filename: string }> = [];
  /** Bytes of this request in the shared budget (given back once the key is known). */
  private shared = 0;
  private total = 0;

  constructor(
    private readonly dir: string,
    private readonly budget: SharedBudget,
    /** All parts of the request together: the largest maxsize of any key (413 beyond). */
    private readonly maxBytes: number,
  ) {}

  /** Whether parts were spooled: later ones must follow them (their order is the inputs' order). */
  get holdsFiles(): boolean {
    return this.files.length > 0;
  }

  /**
   * Writes a file part to a temp file: 413 past maxBytes; `keyless` (no key known yet) parts also
   * count against the shared budget, 401 when it runs out.
   */
  async add(stream: Readable, filename: string, keyless: boolean): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = { path: path.join(this.dir, randomBytes(12).toString('hex')), filename };
    this.files.push(file);
    await pipeline(stream, this.meter(keyless), createWriteStream(file.path));
  }

  private meter(keyless: boolean): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        if (this.total + chunk.length > this.maxBytes) return callback(appError('TOO_LARGE', `The file is larger than the limit of ${this.maxBytes} bytes.`));
        if (keyless && !this.budget.take(chunk.length)) return callback(budgetSpent());
        if (keyless) this.shared += chunk.length;
        this.total += chunk.length;
        callback(null, chunk);
      },
    });
  }

  /** The key is known: the files no longer count against the keyless budget. */
  release(): void {
    this.budget.give(this.shared);
    this.shared = 0;
  }

  /**
   * Hands each spooled file's path to `stage`, in order, removing it once staged (a store that
   * hard-linked it keeps its own name for the bytes).
   */
  async drain(stage: (localPath: string, filename: string) => Promise<unknown>): Promise<void> {
    for (const file of this.files) {
      await stage(file.path, file.filename);
      await rm(file.path, { force: true });
    }
  }

  /** Removes every file and gives its bytes back. */
  async discard(): Promise<void> {
    this.release();
    await Promise.all(this.files.map((file) => rm(file.path, { force: true })));
  }
}
