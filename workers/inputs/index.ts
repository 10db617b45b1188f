// Input adapters, selected in one place by the kind of source the start decided on.
import type { FileStore } from '../../src/core/storage/file-store.js';
import { downloadInput, type DownloadSettings } from './download.js';
import { storedInput } from './stored.js';
import type { InputAdapters } from './types.js';

export type { InputAdapters, InputContext } from './types.js';

export function createInputAdapters(store: FileStore, download: DownloadSettings): InputAdapters {
  return { stored: storedInput(store), download: downloadInput(download) };
}
