// Input adapters, selected in one place by the kind of source the start decided on.
import type { SingleInputSource } from '../../src/core/process/record.js';
import type { FileStore } from '../../src/core/storage/file-store.js';
import { azureBlobStore } from '../cloud/azure-blob.js';
import { gcsStore } from '../cloud/gcs.js';
import { cloudInput, cloudLister } from '../cloud/io.js';
import { swiftStore } from '../cloud/swift.js';
import type { RemoteSettings } from '../remote/settings.js';
import { downloadInput, type DownloadSettings } from './download.js';
import { ftpInput } from './ftp.js';
import { s3Input, s3Lister } from './s3.js';
import { sftpInput, sftpLister } from './sftp.js';
import { storedInput } from './stored.js';
import type { InputAdapters, InputContext, InputListers } from './types.js';

export type { InputAdapters, InputContext, InputListers } from './types.js';
export { expandListing } from './listing.js';

export function createInputAdapters(store: FileStore, download: DownloadSettings, remote: RemoteSettings): InputAdapters {
  return {
    stored: storedInput(store),
    download: downloadInput(download),
    s3: s3Input(remote),
    ftp: ftpInput(remote),
    sftp: sftpInput(remote),
    'azure-blob': cloudInput('azure-blob', azureBlobStore, remote),
    gcs: cloudInput('gcs', gcsStore, remote),
    swift: cloudInput('swift', swiftStore, remote),
  };
}

/** The storages that can list a prefix or folder (API v2's prefix imports). */
export function createInputListers(remote: RemoteSettings): InputListers {
  return {
    s3: s3Lister(remote),
    sftp: sftpLister(remote),
    'azure-blob': cloudLister('azure-blob', azureBlobStore, remote),
    gcs: cloudLister('gcs', gcsStore, remote),
    swift: cloudLister('swift', swiftStore, remote),
  };
}

type SourceOf<K extends SingleInputSource['kind']> = Extract<SingleInputSource, { kind: K }>;

/** The adapter of kind K fetches; K ties the adapter to its source's type. */
function fetchWith<K extends SingleInputSource['kind']>(adapters: InputAdapters, kind: K, source: SourceOf<K>, destination: string, context: InputContext): Promise<number> {
  return adapters[kind].fetch(source, destination, context);
}

/** Fetches `source` with its adapter into `destination`; returns the size in bytes. */
export function fetchInputFile(adapters: InputAdapters, source: SingleInputSource, destination: string, context: InputContext): Promise<number> {
  return fetchWith(adapters, source.kind, source, destination, context);
}
