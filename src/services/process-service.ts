// The process lifecycle as the API drives it: create, start, status, wait, cancel, delete, list.
// Knows nothing of HTTP; the routes turn its results and AppErrors into responses.
import type { Account } from '../core/accounts.js';
import { normalizeFormat, SUPPORTED_MODES, type Mode } from '../core/catalog/index.js';
import { ANY_INPUT, anyInputRefused, resolvePlan } from '../core/catalog/resolve.js';
import { appError } from '../core/errors.js';
import { newId } from '../core/process/ids.js';
import { endedRecordTtl, failedPatch, nowSeconds } from '../core/process/lifecycle.js';
import type { ProcessRecord } from '../core/process/record.js';
import type { CreateOptions } from '../core/process/repository.js';
import { isFinal } from '../core/process/steps.js';
import { storageKeys } from '../core/storage/file-store.js';
import type { CreateParams, Origin } from './params.js';
import type { ServiceDeps } from './deps.js';
import { StartSession } from './start-session.js';
import { requireRoomFor } from './capacity.js';

export type { ServiceDeps } from './deps.js';

/** Checks what create can check: the mode, and the formats as far as they are given. */
function checkCreateParams(mode: Mode, params: CreateParams): void {
  const { inputformat, outputformat } = params;
  if (!(SUPPORTED_MODES as readonly string[]).includes(mode) || (inputformat !== undefined && (outputformat !== undefined || mode === 'info'))) {
    resolvePlan({ mode, inputformat, outputformat, converteroptions: undefined });
    return;
  }
  for (const [field, value] of [['inputformat', inputformat], ['outputformat', outputformat]] as const) {
    if (value?.trim() === ANY_INPUT && (field === 'outputformat' || mode !== 'archive')) throw anyInputRefused(field, mode);
    if (value !== undefined && value.trim() !== ANY_INPUT && normalizeFormat(value) === undefined) {
      throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! Unknown ${field} "${value.slice(0, 40)}". GET /conversiontypes lists the supported formats.`);
    }
  }
}

export class ProcessService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Creates a process; formats given here are checked now, so a typo fails at once. */
  create(account: Account, params: CreateParams, origin: Origin): Promise<ProcessRecord> {
    return this.createRecord(account, params, origin, {});
  }

  /**
   * Creates a process and claims its start in the same write (POST /convert): the session works
   * on the record as created, with no read back and no separate claim.
   */
  async createAndOpenStart(account: Account, params: CreateParams, origin: Origin): Promise<StartSession> {
    const record = await this.createRecord(account, params, origin, { claimStartSeconds: this.deps.config.retention.unstartedSeconds });
    return new StartSession(this.deps, record);
  }

  private async createRecord(account: Account, params: CreateParams, origin: Origin, options: CreateOptions): Promise<ProcessRecord> {
    const mode: Mode = params.mode ?? 'convert';
    checkCreateParams(mode, params);
    await requireRoomFor(this.deps, account);
    const now = nowSeconds();
    const { retention } = this.deps.config;
    const record: ProcessRecord = {
      id: newId(),
      owner: account.id,
      host: origin.host,
      scheme: origin.scheme,
      createdAt: now,
      mode,
      inputFormat: params.inputformat,
      outputFormat: params.outputformat,
      step: 'input',
      percent: 0,
      message: 'Waiting for start',
      started: false,
      expire: now + retention.unstartedSeconds,
      save: false,
      timeoutSeconds: account.limits.maxtimeSeconds,
      uploadToken: newId(),
      downloadToken: newId(),
    };
    await this.deps.repository.create(record, retention.unstartedSeconds + account.limits.maxtimeSeconds + retention.recordSeconds, options);
    return record;
  }

  /** Claims the one start of a process; the session then takes the parameters and the file. */
  async openStart(id: string): Promise<StartSession> {
    const record = await this.deps.repository.require(id);
    if (record.started || !(await this.deps.repository.claim(id, 'start', this.deps.config.retention.unstartedSeconds))) {
      throw appError('WRONG_STATE', 'This process has already been started. Each process converts one file: create a new one with POST /process.');
    }
    return new StartSession(this.deps, record);
  }

  async status(id: string): Promise<ProcessRecord> {
    return this.deps.repository.require(id);
  }

  /** Blocks until the process is finished or failed (also while its upload has not arrived). */
  async waitUntilFinal(id: string, signal?: AbortSignal): Promise<ProcessRecord> {
    const record = await this.deps.events.waitForFinal(id, signal);
    if (record === undefined) throw appError('PROCESS_NOT_FOUND');
    return record;
  }

  /** Stops a running process without deleting it; it ends in step error. */
  async cancel(id: string): Promise<void> {
    const record = await this.deps.repository.require(id);
    if (isFinal(record.step)) return;
    const patch = failedPatch(this.deps.config.retention, 'CANCELLED', 'The process was cancelled.');
    const result = await this.deps.repository.updateAndGet(id, patch, { ttlSeconds: endedRecordTtl(this.deps.config.retention, patch) });
    await this.stopWork(id);
    if (result.ok) await this.deps.endings.ended(result.record);
  }

  /** Cancels if running, then removes the process and every file of it. */
  async delete(id: string): Promise<void> {
    const record = await this.deps.repository.require(id);
    if (!isFinal(record.step)) await this.stopWork(id);
    await this.deps.repository.delete(record);
    await this.deps.endings.removed(record);
    await this.deps.store.deleteFolder(storageKeys.folder(id));
  }

  async list(account: Account, limit = 200): Promise<ProcessRecord[]> {
    return this.deps.repository.listByOwner(account.id, limit);
  }

  private async stopWork(id: string): Promise<void> {
    await this.deps.queue.remove(id);
    await this.deps.publishCancel(id);
  }
}
