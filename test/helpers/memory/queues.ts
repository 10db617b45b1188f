// The queues in memory, for the fast API tests: they record what the API hands them and admit
// everything at once. No worker takes the jobs and there are no per-key slots: what the queue
// itself does is proven against Redis (test/integration/fairness.test.ts, waiting.test.ts).
import { ALL_ENGINE_IDS } from '../../../src/core/catalog/engines.js';
import type { JobOf } from '../../../src/core/jobs.js';
import type { NotificationQueue } from '../../../src/core/notifications.js';
import type { EngineClass } from '../../../src/core/catalog/engine-classes.js';
import type { ConversionQueue, Owner, OwnerSlots, QueueHealth } from '../../../src/core/queue.js';

export class MemoryConversionQueue implements ConversionQueue {
  /** Process ids in the order they were admitted (removed ones taken out). */
  readonly admitted: string[] = [];
  /** What health() reports as live workers: 0 makes create answer 503 when REQUIRE_WORKER is on. */
  workers = 1;
  private readonly lanes = new Map<string, { owner: string; engineClass: EngineClass }>();

  async enqueue(processId: string, owner: Owner, engineClass: EngineClass): Promise<boolean> {
    if (!this.admitted.includes(processId)) this.admitted.push(processId);
    this.lanes.set(processId, { owner: owner.id, engineClass });
    return true;
  }

  /** Everything admitted holds a slot; nothing is ever pending here. */
  async slots(): Promise<OwnerSlots[]> {
    const running = new Map<string, OwnerSlots>();
    for (const id of this.admitted) {
      const lane = this.lanes.get(id) ?? { owner: '', engineClass: 'heavy' };
      const key = `${lane.engineClass}:${lane.owner}`;
      running.set(key, { ...lane, running: (running.get(key)?.running ?? 0) + 1, pending: 0 });
    }
    return [...running.values()];
  }

  async release(processId: string, _owner: Owner, _engineClass: EngineClass): Promise<string[]> {
    await this.remove(processId);
    return [];
  }

  async remove(processId: string): Promise<void> {
    const at = this.admitted.indexOf(processId);
    if (at >= 0) this.admitted.splice(at, 1);
  }

  async health(): Promise<QueueHealth> {
    return { workers: this.workers, depth: this.admitted.length };
  }

  /** Every engine on each of the `workers` pretended workers. */
  async workersPerEngine(): Promise<Record<string, number>> {
    return Object.fromEntries(ALL_ENGINE_IDS.map((engine) => [engine, this.workers]));
  }

  async reconcile(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {}
}

export class MemoryNotificationQueue implements NotificationQueue {
  readonly sent: Array<JobOf<'notification'>> = [];

  async send(job: JobOf<'notification'>): Promise<void> {
    this.sent.push(job);
  }

  async close(): Promise<void> {}
}
