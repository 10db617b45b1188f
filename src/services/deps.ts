// What the services are built from; the runtime wiring provides it.
import type { Config } from '../config/index.js';
import type { AccountRegistry } from '../core/accounts.js';
import type { ProcessEndings } from '../core/process/endings.js';
import type { ProcessEvents } from '../core/process/events.js';
import type { ProcessRepository } from '../core/process/repository.js';
import type { SecretStore } from '../core/process/secrets.js';
import type { ConversionQueue } from '../core/queue.js';
import type { FileStore } from '../core/storage/file-store.js';
import type { PresetStore } from '../core/presets.js';
import type { UsageStore } from '../core/usage.js';
import type { TaskScheduler } from '../core/v2/scheduler.js';
import type { TaskRepository } from '../core/v2/task-repository.js';
import type { WebhookStore } from '../core/v2/webhooks.js';

export interface ServiceDeps {
  readonly config: Config;
  readonly accounts: AccountRegistry;
  readonly repository: ProcessRepository;
  readonly events: ProcessEvents;
  readonly store: FileStore;
  /** Credentials for the user's S3/FTP storage, outside the records. */
  readonly secrets: SecretStore;
  readonly queue: ConversionQueue;
  readonly endings: ProcessEndings;
  readonly usage: UsageStore;
  readonly presets: PresetStore;
  /** Tells whichever worker runs the process to abort it. */
  readonly publishCancel: (processId: string) => Promise<void>;
  /** API v2: job and task records. */
  readonly tasks: TaskRepository;
  /** API v2: the task graph (creates, starts and ends tasks). */
  readonly scheduler: TaskScheduler;
  /** API v2: the account webhooks (their signing secrets sealed). */
  readonly webhooks: WebhookStore;
}
