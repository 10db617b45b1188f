// The channels of the real-time API (wire spec 12) and the rooms an event goes to. A room is
// named by the exact channel string a client subscribed with, because clients filter the events
// they get on that string: `private-jobs.{id}` (the docs' typo) gets its events under that name.
// User channels' rooms also carry the owner: user ids are a hash of it, and two keys whose ids
// collide must still not hear each other.
import type { LiveEvent } from '../../core/v2/live-events.js';
import { userIdOf } from '../../core/v2/wire.js';

export type Channel =
  | { readonly kind: 'job'; readonly id: string }
  | { readonly kind: 'job-tasks'; readonly id: string }
  | { readonly kind: 'task'; readonly id: string }
  | { readonly kind: 'user-jobs'; readonly userId: number }
  | { readonly kind: 'user-tasks'; readonly userId: number };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const JOB = new RegExp(`^private-jobs?\\.(${UUID})$`);
const JOB_TASKS = new RegExp(`^private-jobs?\\.(${UUID})\\.tasks$`);
const TASK = new RegExp(`^private-task\\.(${UUID})$`);
const USER = /^private-user\.([1-9]\d{0,11})\.(jobs|tasks)$/;

/** The channels a client may name, for error messages. */
export const CHANNEL_FORMS = 'private-job.{jobId}, private-job.{jobId}.tasks, private-task.{taskId}, private-user.{userId}.jobs or private-user.{userId}.tasks';

/** The channel `name` stands for, or undefined when it is none of the known forms. */
export function parseChannel(name: string): Channel | undefined {
  const job = JOB.exec(name);
  if (job?.[1] !== undefined) return { kind: 'job', id: job[1] };
  const jobTasks = JOB_TASKS.exec(name);
  if (jobTasks?.[1] !== undefined) return { kind: 'job-tasks', id: jobTasks[1] };
  const task = TASK.exec(name);
  if (task?.[1] !== undefined) return { kind: 'task', id: task[1] };
  const user = USER.exec(name);
  if (user?.[1] !== undefined) return { kind: user[2] === 'jobs' ? 'user-jobs' : 'user-tasks', userId: Number(user[1]) };
  return undefined;
}

/** The room of a user channel: the channel name and, after "#", its owner (never sent to clients). */
export const userRoom = (channel: string, owner: string): string => `${channel}#${owner}`;

/** The channel name a room's events are sent under. */
export const channelOfRoom = (room: string): string => room.split('#')[0] ?? room;

/** The room a socket joins for `name` (a channel `owner` was allowed). */
export function roomOf(name: string, channel: Channel, owner: string): string {
  return channel.kind === 'user-jobs' || channel.kind === 'user-tasks' ? userRoom(name, owner) : name;
}

/** Every room in which clients hear of the job `jobId` of `owner`. */
export function jobRooms(jobId: string, owner: string): string[] {
  return [`private-job.${jobId}`, `private-jobs.${jobId}`, userRoom(`private-user.${userIdOf(owner)}.jobs`, owner)];
}

/** Every room in which clients hear of a task. */
export function taskRooms(task: { readonly id: string; readonly jobId?: string; readonly owner: string }): string[] {
  const rooms = [`private-task.${task.id}`, userRoom(`private-user.${userIdOf(task.owner)}.tasks`, task.owner)];
  if (task.jobId !== undefined) rooms.push(`private-job.${task.jobId}.tasks`, `private-jobs.${task.jobId}.tasks`);
  return rooms;
}

/** The rooms of a live event. */
export function roomsOf(event: LiveEvent): string[] {
  return 'task' in event ? taskRooms(event.task) : jobRooms(event.job.id, event.job.owner);
}
