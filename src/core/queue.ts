// The conversion queues with fair admission, one BullMQ queue per engine class (light, heavy).
// In each class a key runs at most `concurrent` conversions: a process enters its class's BullMQ
// queue only when its key has a free slot there, otherwise it waits in the key's own pending list
// of that class. So one key's backlog never sits in front of another key's job, and a burst of
// images never waits behind videos: a slot freed by one key in one class goes to that key's next
// process of the same class.
import { Queue, QueueKeys } from 'bullmq';
import type { Redis } from 'ioredis';
import { ENGINE_CLASSES, type EngineClass } from './catalog/engine-classes.js';
import { countPerEngine, liveWorkers, workersKey } from './workers-registry.js';
import { conversionQueueName, type JobOf } from './jobs.js';
import { inChildSpan, SpanKind, traceparentOf } from './trace-context.js';

export interface Owner {
  readonly id: string;
  readonly concurrent: number;
}

/** What one key holds in the fair queue. */
export interface OwnerSlots {
  /** The account id (a hash of the API key, never the key). */
  readonly owner: string;
  /** The slots are counted per engine class. */
  readonly engineClass: EngineClass;
  /** Processes holding one of the key's slots: in BullMQ, waiting for a worker or converting. */
  readonly running: number;
  /** Processes waiting in the key's own list for a slot. */
  readonly pending: number;
}

export interface QueueHealth {
  /** Workers that sent a heartbeat recently. */
  readonly workers: number;
  /** Conversions waiting: in BullMQ and in the keys' pending lists. */
  readonly depth: number;
}

export interface ConversionQueue {
  /**
   * Admits a process to the queue of its engine class: true when it entered the queue, false
   * when it waits for a slot of its key in that class.
   */
  enqueue(processId: string, owner: Owner, engineClass: EngineClass): Promise<boolean>;
  /**
   * The process ended (or was deleted): its slot goes to the key's next pending process of the
   * same class, which enters the queue. Idempotent; returns the promoted process ids.
   */
  release(processId: string, owner: Owner, engineClass: EngineClass): Promise<string[]>;
  /** Removes a job that has not started; a running job is cancelled through the cancel channel. */
  remove(processId: string): Promise<void>;
  health(): Promise<QueueHealth>;
  /** Per catalog engine, how many live workers run it (0: its conversions wait). */
  workersPerEngine(): Promise<Record<string, number>>;
  /** Every key and class with a process admitted or pending, for operators (/admin/pending). */
  slots(): Promise<OwnerSlots[]>;
  /**
   * Frees slots held by processes that ended without releasing them (a crash between the end
   * and the release); `active(id)` says whether a process still runs or waits.
   */
  reconcile(active: (processId: string) => Promise<boolean>, concurrentOf: (owner: string) => number): Promise<number>;
  close(): Promise<void>;
}

export interface QueueSettings {
  readonly prefix: string;
  readonly attempts: number;
}

// KEYS: running set, pending list, pending total. ARGV: id, concurrent.
const ADMIT = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) < tonumber(ARGV[2]) then redis.call('SADD', KEYS[1], ARGV[1]) return 1 end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('INCR', KEYS[3])
return 0
`;

// Same KEYS and ARGV. Frees the slot and fills free slots from the pending list, in order.
const RELEASE = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then
  local n = redis.call('LREM', KEYS[2], 0, ARGV[1])
  if n > 0 then redis.call('DECRBY', KEYS[3], n) end
  return {}
end
local promoted = {}
while redis.call('SCARD', KEYS[1]) < tonumber(ARGV[2]) do
  local nextId = redis.call('LPOP', KEYS[2])
  if not nextId then break end
  redis.call('DECR', KEYS[3])
  redis.call('SADD', KEYS[1], nextId)
  table.insert(promoted, nextId)
end
return promoted
`;

export class FairConversionQueue implements ConversionQueue {
  private readonly queues: Record<EngineClass, Queue<JobOf<'conversion'>, void, 'conversion'>>;

  constructor(
    private readonly redis: Redis,
    private readonly settings: QueueSettings,
  ) {
    const queueOf = (engineClass: EngineClass): Queue<JobOf<'conversion'>, void, 'conversion'> =>
      new Queue(conversionQueueName(engineClass), {
        connection: redis,
        prefix: settings.prefix,
        defaultJobOptions: { attempts: settings.attempts, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } },
      });
    this.queues = { light: queueOf('light'), heavy: queueOf('heavy') };
  }

  private keys(owner: string, engineClass: EngineClass): [string, string, string] {
    const p = this.settings.prefix;
    const slots = slotsKeyPart(engineClass);
    return [`${p}:${slots}:${owner}:running`, `${p}:${slots}:${owner}:pending`, `${p}:slots:pending-total`];
  }

  private async add(processId: string, engineClass: EngineClass): Promise<void> {
    await this.queues[engineClass].add('conversion', { processId }, { jobId: processId });
  }

  /** Adds the job under a producer span of the active trace (the request's), whose context the job carries. */
  private addTraced(processId: string, engineClass: EngineClass): Promise<void> {
    const name = conversionQueueName(engineClass);
    const attributes = { 'messaging.system': 'bullmq', 'messaging.operation.type': 'send', 'messaging.destination.name': name, 'messaging.message.id': processId };
    return inChildSpan(`send ${name}`, { kind: SpanKind.PRODUCER, attributes }, async () => {
      const traceparent = traceparentOf();
      await this.queues[engineClass].add('conversion', traceparent === undefined ? { processId } : { processId, traceparent }, { jobId: processId });
    });
  }

  async enqueue(processId: string, owner: Owner, engineClass: EngineClass): Promise<boolean> {
    const admitted = (await this.redis.eval(ADMIT, 3, ...this.keys(owner.id, engineClass), processId, String(owner.concurrent))) === 1;
    if (admitted) await this.addTraced(processId, engineClass);
    return admitted;
  }

  async release(processId: string, owner: Owner, engineClass: EngineClass): Promise<string[]> {
    const promoted = (await this.redis.eval(RELEASE, 3, ...this.keys(owner.id, engineClass), processId, String(owner.concurrent))) as string[];
    // Not traced here: this runs in the trace of the process that ended; the worker continues
    // the promoted process's own trace from its record.
    for (const id of promoted) await this.add(id, engineClass);
    return promoted;
  }

  async remove(processId: string): Promise<void> {
    // An active (locked) job cannot be removed; a process is in one class's queue only.
    await Promise.all(ENGINE_CLASSES.map((c) => this.queues[c].remove(processId).catch(() => 0)));
  }

  async reconcile(active: (processId: string) => Promise<boolean>, concurrentOf: (owner: string) => number): Promise<number> {
    let freed = 0;
    for (const engineClass of ENGINE_CLASSES) {
      for (const owner of await this.ownersWith(engineClass, 'running')) {
        for (const id of await this.redis.smembers(this.keys(owner, engineClass)[0])) {
          if (await active(id)) continue;
          await this.release(id, { id: owner, concurrent: concurrentOf(owner) }, engineClass);
          freed += 1;
        }
      }
    }
    return freed;
  }

  /** The keys that have a running set (or pending list) in a class. */
  private async ownersWith(engineClass: EngineClass, list: 'running' | 'pending'): Promise<Set<string>> {
    const start = `${this.settings.prefix}:${slotsKeyPart(engineClass)}:`;
    const owners = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${start}*:${list}`, 'COUNT', 100);
      cursor = next;
      for (const key of keys) owners.add(key.slice(start.length, -(list.length + 1)));
    } while (cursor !== '0');
    return owners;
  }

  async slots(): Promise<OwnerSlots[]> {
    const lanes: Array<{ owner: string; engineClass: EngineClass }> = [];
    for (const engineClass of ENGINE_CLASSES) {
      const owners = new Set([...(await this.ownersWith(engineClass, 'running')), ...(await this.ownersWith(engineClass, 'pending'))]);
      for (const owner of owners) lanes.push({ owner, engineClass });
    }
    const batch = this.redis.multi();
    for (const { owner, engineClass } of lanes) {
      const [running, pending] = this.keys(owner, engineClass);
      batch.scard(running).llen(pending);
    }
    const counts = ((await batch.exec()) ?? []).map(([, count]) => Number(count ?? 0));
    return lanes.map((lane, i) => ({ ...lane, running: counts[2 * i] ?? 0, pending: counts[2 * i + 1] ?? 0 })).filter((o) => o.running + o.pending > 0);
  }

  async health(): Promise<QueueHealth> {
    const now = Date.now();
    const [workers, pending, ...counts] = await Promise.all([
      this.redis.zcount(workersKey(this.settings.prefix), now, '+inf'),
      this.redis.get(this.keys('-', 'heavy')[2]),
      ...ENGINE_CLASSES.map((c) => this.queues[c].getJobCounts('wait', 'delayed', 'prioritized')),
    ]);
    const queued = counts.flatMap((c) => Object.values(c)).reduce((a, b) => a + b, 0);
    return { workers, depth: Number(pending ?? 0) + queued };
  }

  async workersPerEngine(): Promise<Record<string, number>> {
    return countPerEngine(await liveWorkers(this.redis, this.settings.prefix));
  }

  /**
   * The BullMQ queues under the fair admission, for the operator's dashboard only. Removing or
   * adding jobs through them bypasses the slots (a removed job's slot stays taken), so the
   * dashboard shows them read-only.
   */
  get bullQueues(): readonly Queue[] {
    return ENGINE_CLASSES.map((c) => this.queues[c]);
  }

  async close(): Promise<void> {
    await Promise.all(ENGINE_CLASSES.map((c) => this.queues[c].close()));
  }
}

/**
 * The part of the slot keys that names the class. The heavy class keeps the names from before
 * engine classes (`slots:`), so the keys' pending lists of a running deployment survive the
 * upgrade; the light class has its own (`slots-light:`), which no `slots:*` pattern matches.
 */
const slotsKeyPart = (engineClass: EngineClass): string => (engineClass === 'heavy' ? 'slots' : 'slots-light');

/** BullMQ's Redis lists of one class's conversion queue, by what they hold. */
export interface ConversionQueueLists {
  /** Jobs admitted to BullMQ that no worker has taken yet. */
  readonly wait: string;
  /** Jobs a worker runs now. */
  readonly active: string;
}

/**
 * The lists an autoscaler reading Redis itself watches (KEDA's `redis` trigger takes the LLEN of
 * a list; deploy/kubernetes scales workers on these two). Named by BullMQ's own key builder, so a
 * change of its naming shows here. The keys' pending lists are not for it: those processes wait
 * for their key's slot, not for a worker (see docs/kubernetes.md).
 */
export function conversionQueueLists(prefix: string, engineClass: EngineClass): ConversionQueueLists {
  const keys = new QueueKeys(prefix).getKeys(conversionQueueName(engineClass));
  const list = (name: string): string => {
    const key = keys[name];
    if (key === undefined) throw new Error(`BullMQ names no "${name}" key`);
    return key;
  };
  return { wait: list('wait'), active: list('active') };
}
