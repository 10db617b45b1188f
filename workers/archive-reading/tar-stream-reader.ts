// Reads an archive as a plain tar stream (from the file or a tool's stdout) and hands each entry
// to a visitor, which may stop everything by throwing: the tool is then killed at once.
import { createReadStream } from 'node:fs';
import tar from 'tar-stream';
import { appError, AppError } from '../../src/core/errors.js';
import { ToolError } from '../tools/run-tool.js';
import type { ConverterContext } from '../converters/types.js';
import { TOOL_ENV, type TarSource } from './tar-source.js';

export interface StreamEntry {
  readonly name: string;
  readonly type: string;
  readonly linkname: string | null;
  /** The size the header states; what the data yields is counted by the visitor. */
  readonly size: number;
}

/** Gets each entry in archive order; must read `data` to the end or throw. */
export type EntryVisitor = (entry: StreamEntry, data: AsyncIterable<Buffer>) => Promise<void>;

/** The CONVERSION_FAILED for an archive a tool (or the parser) could not read, the tool's words shown without paths. */
export function readFailure(error: unknown, tool: string | undefined, archive: string): AppError {
  if (error instanceof ToolError) {
    const lines = error.stderrTail
      .split(/\n|(?<=passphrase:)/)
      .map((l) => l.replace(/^[\w.-]+: /, '').replaceAll(archive, 'the file').replace(/: \(null\)$/, '').trim())
      .filter((l) => l !== '' && !/^\(null\)$|^Enter passphrase:$|^Error exit delayed/.test(l));
    const line = (lines.find((l) => /error/i.test(l)) ?? lines[0] ?? `exit code ${error.exitCode}`).slice(0, 200);
    const encrypted = /passphrase|encrypt/i.test(error.stderrTail);
    const hint = encrypted
      ? ' The archive is encrypted (password-protected); this server does not extract encrypted archives.'
      : ' It may be damaged, or encrypted (encrypted archives are not extracted).';
    return appError('CONVERSION_FAILED', `The archive could not be read (${tool ?? error.tool}: ${line}).${hint}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return appError('CONVERSION_FAILED', `The archive could not be read: ${message.slice(0, 200)}. Is it a complete archive of the format named by inputformat?`);
}

async function visitAll(extract: tar.Extract, visit: EntryVisitor): Promise<void> {
  for await (const entry of extract) {
    const h = entry.header;
    await visit({ name: h.name, type: h.type ?? 'unknown', linkname: h.linkname ?? null, size: h.size ?? 0 }, entry as AsyncIterable<Buffer>);
  }
}

/**
 * Streams the archive's entries through `visit`. Throws the visitor's own AppError (a refusal)
 * as it is, the job's abort reason on abort, and otherwise a CONVERSION_FAILED naming what
 * could not be read.
 */
export async function readTarStream(source: TarSource, archive: string, context: Pick<ConverterContext, 'signal' | 'tools'>, visit: EntryVisitor): Promise<void> {
  const { signal } = context;
  const stop = new AbortController();
  const combined = AbortSignal.any([signal, stop.signal]);
  const extract = tar.extract();
  const sink = extract as unknown as NodeJS.WritableStream;
  const parsing = visitAll(extract, visit).catch((error: unknown) => {
    stop.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  });
  const feeding =
    source.kind === 'tool'
      ? context.tools.run(source.binary, source.args, { signal: combined, stdoutSink: sink, env: TOOL_ENV })
      : new Promise<void>((resolve, reject) => {
          const file = createReadStream(archive);
          const close = (): void => void file.destroy(new Error('stopped'));
          combined.addEventListener('abort', close, { once: true });
          file.once('error', reject).once('end', () => resolve());
          file.pipe(sink);
        });
  const [fed, parsed] = await Promise.allSettled([feeding, parsing]);
  if (signal.aborted) throw signal.reason;
  if (parsed.status === 'rejected' && parsed.reason instanceof AppError) throw parsed.reason;
  if (fed.status === 'rejected' && !(fed.reason instanceof AppError)) throw readFailure(fed.reason, source.kind === 'tool' ? source.label : undefined, archive);
  if (parsed.status === 'rejected') throw readFailure(parsed.reason, undefined, archive);
}
