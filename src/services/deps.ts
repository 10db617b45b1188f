// What the services are built from; the runtime wiring provides it.
import type { Config } from '../config/index.js';
import type { AccountRegistry } from '../core/accounts.js';
import type { ProcessEvents } from '../core/process/events.js';
import type { ProcessRepository } from '../core/process/repository.js';
import type { ConversionQueue } from '../core/queue.js';
import type { FileStore } from '../core/storage/file-store.js';

export interface ServiceDeps {
  readonly config: Config;
  readonly accounts: AccountRegistry;
  readonly repository: ProcessRepository;
  readonly events: ProcessEvents;
  readonly store: FileStore;
  readonly queue: ConversionQueue;
  /** Tells whichever worker runs the process to abort it. */
  readonly publishCancel: (processId: string) => Promise<void>;
}
