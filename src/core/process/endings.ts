// What happens when a process ends, whoever ended it (the worker, a cancel, the sweeper): its
// key's slot goes to the next process, minutes are counted, and the callback and e-mail are
// sent as jobs of their own.
import type { AccountRegistry } from '../accounts.js';
import { engineClassOf, type EngineClass } from '../catalog/engine-classes.js';
import type { Config } from '../../config/index.js';
import type { NotificationQueue } from '../notifications.js';
import type { ConversionQueue, Owner } from '../queue.js';
import type { UsageStore } from '../usage.js';
import type { ProcessRecord } from './record.js';
import type { ProcessRepository } from './repository.js';
import type { SecretStore } from './secrets.js';
import { processUrl } from './urls.js';

export interface EndingsDeps {
  readonly config: Config;
  readonly accounts: AccountRegistry;
  readonly queue: ConversionQueue;
  readonly usage: UsageStore;
  readonly notifications: NotificationQueue;
  readonly repository: ProcessRepository;
  /** The user's storage credentials go as soon as the process has ended or is deleted. */
  readonly secrets: SecretStore;
}

export const QUEUED_MESSAGE = (concurrent: number): string =>
  `Queued: this API key runs at most ${concurrent} conversion${concurrent === 1 ? '' : 's'} at once; this one starts when one of them ends.`;

export class ProcessEndings {
  private taskListener: ((record: ProcessRecord) => Promise<void>) | undefined;

  constructor(private readonly deps: EndingsDeps) {}

  /** Who hears of ended processes that run an API v2 task (the task scheduler, wired after both exist). */
  whenTaskEnds(listener: (record: ProcessRecord) => Promise<void>): void {
    this.taskListener = listener;
  }

  owner(record: Pick<ProcessRecord, 'owner'>): Owner {
    return { id: record.owner, concurrent: (this.deps.accounts.get(record.owner)?.limits ?? this.deps.config.account).concurrent };
  }

  /** Call once the record is in step finished or error. Safe to call more than once. */
  async ended(record: ProcessRecord): Promise<void> {
    if (record.step !== 'finished' && record.step !== 'error') return;
    const step = record.step;
    await this.deps.secrets.delete(record.id);
    await this.release(record);
    // The task moves on however often the end is reported (its status guards a second write).
    if (record.task !== undefined) await this.taskListener?.(record);
    // Minutes and notifications happen once, however often the end is reported.
    if (!(await this.deps.repository.claim(record.id, 'ended', this.deps.config.retention.recordSeconds))) return;
    // Moving files (v2 imports and exports) is free, as on CloudConvert; converting counts.
    if (step === 'finished' && record.plan?.mode !== 'transfer') {
      const seconds = record.runSeconds ?? (record.endTime ?? 0) - (record.startTime ?? 0);
      await this.deps.usage.useMinutes(record.owner, Math.max(1, Math.ceil(seconds / 60)));
    }
    const url = processUrl(record, this.deps.config.server.absoluteUrls);
    if (record.callback !== undefined) {
      await this.deps.notifications.send({ kind: 'callback', processId: record.id, target: record.callback, processUrl: url, step });
    }
    if (record.email !== undefined) {
      // A mail is read outside any page, so its link needs the scheme the process was created under.
      await this.deps.notifications.send({ kind: 'email', processId: record.id, to: record.email, processUrl: processUrl(record, true), step, message: record.message, filename: record.input?.filename ?? null });
    }
  }

  /** A deleted process gives its slot back; nobody is notified. */
  async removed(record: ProcessRecord): Promise<void> {
    await this.deps.secrets.delete(record.id);
    await this.release(record);
  }

  /** Admits a started process to the queue, or marks it queued behind its key's running ones. */
  async admit(record: ProcessRecord): Promise<void> {
    const owner = this.owner(record);
    if (await this.deps.queue.enqueue(record.id, owner, classOf(record))) return;
    await this.deps.repository.update(record.id, { step: 'wait', message: QUEUED_MESSAGE(owner.concurrent) }, { fromSteps: ['input', 'wait'] });
  }

  private async release(record: ProcessRecord): Promise<void> {
    for (const id of await this.deps.queue.release(record.id, this.owner(record), classOf(record))) {
      await this.deps.repository.update(id, { message: 'Waiting in queue' }, { fromSteps: ['input', 'wait'] });
    }
  }
}

/**
 * The queue class of a process. A record without a plan never entered a queue (it was not
 * started); releasing it in the heavy class finds nothing to free, which is right.
 */
const classOf = (record: Pick<ProcessRecord, 'plan'>): EngineClass => (record.plan === undefined ? 'heavy' : engineClassOf(record.plan));
