// Files in and out through the upload and download URLs: a streamed upload starts the
// conversion; a download waits for the output, and the first complete download of every file
// removes the files unless the process was started with `save`.
import type { Readable } from 'node:stream';
import { mimeForFilename } from '../core/catalog/index.js';
import { isActiveContentType } from '../core/content-types.js';
import { appError } from '../core/errors.js';
import { splitFilename, validateFilename } from '../core/filenames.js';
import { nowSeconds } from '../core/process/lifecycle.js';
import type { ProcessRecord, RequestTrace } from '../core/process/record.js';
import { hasDownloadLinks, storageKeys } from '../core/storage/file-store.js';
import type { ServiceDeps } from './deps.js';

export type DownloadResult =
  | { readonly kind: 'failed'; readonly record: ProcessRecord }
  | {
      readonly kind: 'file';
      readonly stream: Readable;
      readonly filename: string;
      readonly mime: string;
      readonly size: number | undefined;
      /**
       * Call once the response has ended: a complete download deletes the files when due (unless
       * `save`); an aborted one gives its claim back, so the file can be fetched again.
       */
      readonly settle: (sent: boolean) => Promise<void>;
    }
  /** STORAGE_PRESIGNED_DOWNLOADS: the client fetches the file from S3; `settle` as for a file. */
  | { readonly kind: 'redirect'; readonly url: string; readonly settle: (sent: boolean) => Promise<void> };

export class TransferService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Receives the input of a process started with input=upload, then enqueues it; `trace` names the uploading request. */
  async receiveUpload(token: string, filename: string, stream: Readable, trace?: RequestTrace): Promise<{ file: string; size: number }> {
    const { repository, store } = this.deps;
    const id = await repository.resolveToken(token, 'upload');
    if (id === undefined) throw appError('PROCESS_NOT_FOUND', 'Upload URL not found. Use the upload.url returned when the process was started with input=upload.');
    const name = validateFilename(filename, 'upload file name');
    const record = await repository.require(id);
    if (!record.started || record.input?.type !== 'upload' || record.inputSource !== undefined) {
      throw appError('WRONG_STATE', 'This process is not waiting for an upload: start it with input=upload first, and upload its file only once.');
    }
    const maxBytes = this.maxUploadBytes(record);
    if (!(await repository.claim(id, 'upload', record.timeoutSeconds))) {
      throw appError('WRONG_STATE', 'The input file of this process is already being uploaded or was uploaded.');
    }
    try {
      const stored = await store.put(storageKeys.input(id), stream, { maxBytes });
      const { name: base, ext } = splitFilename(name);
      const result = await repository.updateAndGet(
        id,
        { step: 'wait', message: 'Waiting in queue', input: { type: 'upload', filename: name, name: base, ext, size: stored.size }, inputSource: { kind: 'stored', key: storageKeys.input(id) }, trace: trace ?? record.trace },
        { fromSteps: ['input'] },
      );
      if (!result.ok) throw appError(result.reason === 'missing' ? 'PROCESS_NOT_FOUND' : 'WRONG_STATE');
      await this.deps.endings.admit(result.record);
      return { file: name, size: stored.size };
    } catch (error) {
      await store.deleteFolder(storageKeys.folder(id)).catch(() => undefined);
      await repository.releaseClaim(id, 'upload');
      throw error;
    }
  }

  /** The upload limit of the process's owner (MAX_SIZE_MB when the key is gone). */
  maxUploadBytes(record: ProcessRecord): number {
    return (this.deps.accounts.get(record.owner)?.limits ?? this.deps.config.account).maxsizeMb * 1024 * 1024;
  }

  /** The upload limit for an upload token, to refuse an oversized Content-Length up front. */
  async maxUploadBytesFor(token: string): Promise<number | undefined> {
    const id = await this.deps.repository.resolveToken(token, 'upload');
    const record = id === undefined ? undefined : await this.deps.repository.get(id);
    return record === undefined ? undefined : this.maxUploadBytes(record);
  }

  /** Resolves a download URL; blocks until the process has ended (the v1 contract). */
  async download(token: string, file: string | undefined, signal?: AbortSignal, options: { readonly inline?: boolean } = {}): Promise<DownloadResult> {
    const { repository, events, store, config } = this.deps;
    const id = await repository.resolveToken(token, 'download');
    if (id === undefined) throw appError('PROCESS_NOT_FOUND', 'Download URL not found. Use the output.url from the process status.');
    const record = await events.waitForFinal(id, signal);
    if (record === undefined) throw appError('PROCESS_NOT_FOUND');
    if (record.step === 'error') return { kind: 'failed', record };
    if (record.filesDeleted === true) throw appError('FILE_DELETED');
    const target = this.pickFile(record, file);
    if (!record.save && !(await repository.claimDownload(id, target.countAs, config.retention.recordSeconds))) throw appError('FILE_DELETED');
    const release = (): Promise<void> => (record.save ? Promise.resolve() : repository.releaseDownload(id, target.countAs));
    try {
      const link = await this.presignedLink(target, options.inline === true);
      if (link !== undefined) return { kind: 'redirect', url: link, settle: (sent) => (sent ? this.deleteWhenAllDownloaded(record, target.countAs, this.linkSeconds) : release()) };
      const { stream, size } = await store.get(target.key).catch((error: unknown) => {
        throw (error as { code?: string }).code === 'FILE_NOT_FOUND' ? appError('FILE_DELETED') : error;
      });
      const settle = (sent: boolean): Promise<void> => (sent ? this.deleteWhenAllDownloaded(record, target.countAs) : release());
      return { kind: 'file', stream, filename: target.filename, mime: mimeForFilename(target.filename), size, settle };
    } catch (error) {
      await release();
      throw error;
    }
  }

  private pickFile(record: ProcessRecord, file: string | undefined): { key: string; filename: string; countAs: string } {
    const output = record.output;
    if (output === undefined) {
      throw appError('FILE_NOT_FOUND', `This process has no output file${record.mode === 'info' ? ': mode=info puts its result in the status object (info)' : ''}.`);
    }
    const files = output.files;
    if (file === undefined || file === '' || (files === undefined && file === output.filename)) {
      return files === undefined
        ? { key: storageKeys.output(record.id, output.filename), filename: output.filename, countAs: '*' }
        : { key: storageKeys.archive(record.id), filename: output.filename, countAs: '*' };
    }
    if (files === undefined || !files.includes(file)) {
      const names = files ?? [output.filename];
      throw appError('FILE_NOT_FOUND', `No output file named "${file.slice(0, 100)}". The files of this process are: ${names.join(', ')}.`);
    }
    return { key: storageKeys.output(record.id, file), filename: file, countAs: file };
  }

  private get linkSeconds(): number {
    const settings = this.deps.config.storage.fileStore;
    return settings.kind === 's3' ? settings.presignSeconds : 0;
  }

  /** With STORAGE_PRESIGNED_DOWNLOADS, a time-limited S3 link to the file instead of a stream through here. */
  private async presignedLink(target: { key: string; filename: string }, inline: boolean): Promise<string | undefined> {
    const { store, config } = this.deps;
    const settings = config.storage.fileStore;
    if (settings.kind !== 's3' || !settings.presignedDownloads || !hasDownloadLinks(store)) return undefined;
    if ((await store.stat(target.key)) === undefined) throw appError('FILE_DELETED');
    // The bucket's host cannot add a sandbox policy: active content (HTML, SVG) is always an attachment there.
    const contentType = mimeForFilename(target.filename);
    return store.downloadLink(target.key, { filename: target.filename, contentType, inline: inline && !isActiveContentType(contentType), expiresSeconds: settings.presignSeconds });
  }

  /** `graceSeconds`: the files were handed out as links; they go when the links have expired. */
  private async deleteWhenAllDownloaded(record: ProcessRecord, countAs: string, graceSeconds?: number): Promise<void> {
    const { repository, store } = this.deps;
    if (record.save) return;
    // The whole output ("*": the one file or the ZIP) is all there is to download; single files
    // of several go once each of them has been claimed.
    if (countAs !== '*' && (await repository.downloadCount(record.id)) < (record.output?.files?.length ?? 1)) return;
    if (graceSeconds !== undefined) {
      await repository.update(record.id, { expire: nowSeconds() + graceSeconds });
      return;
    }
    await repository.update(record.id, { filesDeleted: true, expire: nowSeconds() });
    await store.deleteFolder(storageKeys.folder(record.id));
  }
}

