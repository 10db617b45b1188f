// Input adapters, selected in one place by the kind of source the start decided on.
import type { SingleInputSource } from '../../src/core/process/record.js';
import type { FileStore } from '../../src/core/storage/file-store.js';
import type { RemoteSettings } from '../remote/settings.js';
import { downloadInput, type DownloadSettings } from './download.js';
import { ftpInput } from './ftp.js';
import { s3Input } from './s3.js';
import { storedInput } from './stored.js';
import type { InputAdapters, InputContext } from './types.js';

export type { InputAdapters, InputContext } from './types.js';

export function createInputAdapters(store: FileStore, download: DownloadSettings, remote: RemoteSettings): InputAdapters {
  return { stored: storedInput(store), download: downloadInput(download), s3: s3Input(remote), ftp: ftpInput(remote) };
}

/** Fetches `source` with its adapter into `destination`; returns the size in bytes. */
export function fetchInputFile(adapters: InputAdapters, source: SingleInputSource, destination: string, context: InputContext): Promise<number> {
  switch (source.kind) {
    case 'stored':
      return adapters.stored.fetch(source, destination, context);
    case 'download':
      return adapters.download.fetch(source, destination, context);
    case 's3':
      return adapters.s3.fetch(source, destination, context);
    case 'ftp':
      return adapters.ftp.fetch(source, destination, context);
  }
}
