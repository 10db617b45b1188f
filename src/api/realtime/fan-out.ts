// Turns the live events this node hears into socket emits, `emit(event, channel, data)`, to the
// rooms that have local listeners: `{task}` and `{job}` are the objects the REST API returns.
// Events are delivered one after the other, in the order published, so a client never sees a
// job's end before the task events that led to it.
import type { LiveEvent } from '../../core/v2/live-events.js';
import { isEnded, jobStatus } from '../../core/v2/model.js';
import type { TaskRepository } from '../../core/v2/task-repository.js';
import { jobObject, taskObject } from '../../core/v2/wire.js';
import { jobRooms, roomsOf } from './channels.js';

/** The local rooms, as socket.io has them. */
export interface Rooms {
  /** Whether a socket of this node is in `room`. */
  listening(room: string): boolean;
  /** Sends `event` with the room's channel name and `data` to the sockets in `room`. */
  emit(room: string, event: string, data: Readonly<Record<string, unknown>>): void;
}

export class FanOut {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly rooms: Rooms,
    private readonly records: Pick<TaskRepository, 'getJob' | 'getTasks'>,
    /** Told of a delivery that failed (a read for job.updated while Redis is away). */
    private readonly onError: (error: unknown) => void,
  ) {}

  push(event: LiveEvent): void {
    this.chain = this.chain.then(() => this.deliver(event)).catch(this.onError);
  }

  /** Resolves once every event pushed so far is delivered (for shutdown and tests). */
  drained(): Promise<void> {
    return this.chain;
  }

  private async deliver(event: LiveEvent): Promise<void> {
    const rooms = roomsOf(event).filter((room) => this.rooms.listening(room));
    if ('task' in event) {
      const data = { task: taskObject(event.task) };
      for (const room of rooms) this.rooms.emit(room, event.event, data);
      // A task's change changes its job: job.updated, unless job.finished/failed follows.
      if (event.event !== 'task.created' && event.task.jobId !== undefined) await this.jobUpdated(event.task.jobId, event.task.owner);
      return;
    }
    if (rooms.length === 0) return;
    const data = { job: jobObject(event.job, event.tasks, { withTasks: true }) };
    for (const room of rooms) this.rooms.emit(room, event.event, data);
  }

  private async jobUpdated(jobId: string, owner: string): Promise<void> {
    const rooms = jobRooms(jobId, owner).filter((room) => this.rooms.listening(room));
    if (rooms.length === 0) return;
    const job = await this.records.getJob(jobId);
    if (job === undefined) return;
    const tasks = await this.records.getTasks(job.taskIds);
    if (isEnded(jobStatus(tasks))) return;
    const data = { job: jobObject(job, tasks, { withTasks: true }) };
    for (const room of rooms) this.rooms.emit(room, 'job.updated', data);
  }
}
