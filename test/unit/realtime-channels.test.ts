// The real-time API's pure parts: which channel a name is, which rooms an event goes to, and the
// live messages as the core publishes them (the Lua script's cjson shape included).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelOfRoom, jobRooms, parseChannel, roomOf, roomsOf, taskRooms } from '../../src/api/realtime/channels.js';
import { decodeLiveEvent, taskEventOf, taskMessage } from '../../src/core/v2/live-events.js';
import type { TaskRecord } from '../../src/core/v2/model.js';
import { userIdOf } from '../../src/core/v2/wire.js';

const JOB = '0b6cd9a4-3c1e-4a8e-9d7a-2f5a1b3c4d5e';
const TASK = '7f0e6a2b-1c3d-4e5f-8a9b-0c1d2e3f4a5b';

const task: TaskRecord = { id: TASK, jobId: JOB, name: 'up', owner: 'owner-1', operation: 'import/upload', status: 'finished', percent: 100, code: null, message: null, payload: {}, dependsOn: [], ignoreError: false, createdAt: 1, base: 'http://x', token: 't' } as unknown as TaskRecord;

describe('real-time channels', () => {
  it('parses the documented channels, the plural typo, and nothing else', () => {
    assert.deepEqual(parseChannel(`private-job.${JOB}`), { kind: 'job', id: JOB });
    assert.deepEqual(parseChannel(`private-jobs.${JOB}`), { kind: 'job', id: JOB });
    assert.deepEqual(parseChannel(`private-job.${JOB}.tasks`), { kind: 'job-tasks', id: JOB });
    assert.deepEqual(parseChannel(`private-task.${TASK}`), { kind: 'task', id: TASK });
    assert.deepEqual(parseChannel('private-user.12345678.jobs'), { kind: 'user-jobs', userId: 12345678 });
    assert.deepEqual(parseChannel('private-user.12345678.tasks'), { kind: 'user-tasks', userId: 12345678 });
    for (const bad of ['private-job.123', `private-job.${JOB}.files`, `private-task.${TASK}.tasks`, 'private-user.0.jobs', 'private-user.abc.jobs', `xprivate-job.${JOB}`, `private-job.${JOB.toUpperCase()}`, '']) {
      assert.equal(parseChannel(bad), undefined, bad);
    }
  });

  it('sends job events to the job (both spellings) and the owner, task events to the task, its job and the owner', () => {
    const user = userIdOf('owner-1');
    assert.deepEqual(jobRooms(JOB, 'owner-1'), [`private-job.${JOB}`, `private-jobs.${JOB}`, `private-user.${user}.jobs#owner-1`]);
    assert.deepEqual(taskRooms(task), [`private-task.${TASK}`, `private-user.${user}.tasks#owner-1`, `private-job.${JOB}.tasks`, `private-jobs.${JOB}.tasks`]);
    const { jobId: _job, ...standalone } = task;
    assert.deepEqual(taskRooms(standalone), [`private-task.${TASK}`, `private-user.${user}.tasks#owner-1`]);
    assert.deepEqual(roomsOf({ event: 'task.finished', task }), taskRooms(task));
  });

  it('keeps the owner in user rooms, so two keys whose user ids collide never share one; clients see the bare channel', () => {
    const name = 'private-user.42.jobs';
    const channel = parseChannel(name);
    assert.ok(channel !== undefined);
    assert.notEqual(roomOf(name, channel, 'owner-a'), roomOf(name, channel, 'owner-b'));
    assert.equal(channelOfRoom(roomOf(name, channel, 'owner-a')), name);
    const job = parseChannel(`private-job.${JOB}`);
    assert.ok(job !== undefined);
    assert.equal(roomOf(`private-job.${JOB}`, job, 'owner-a'), `private-job.${JOB}`);
  });
});

describe('live events', () => {
  it('names a task update by its new status', () => {
    assert.equal(taskEventOf('finished'), 'task.finished');
    assert.equal(taskEventOf('error'), 'task.failed');
    assert.equal(taskEventOf('processing'), 'task.updated');
    assert.equal(taskEventOf(undefined), 'task.updated');
  });

  it('round-trips a task message, also in the shape cjson gives (escaped slashes)', () => {
    assert.deepEqual(decodeLiveEvent(taskMessage('task.created', task)), { event: 'task.created', task });
    const cjson = taskMessage('task.finished', task).replace(/\//g, '\\/');
    assert.deepEqual(decodeLiveEvent(cjson), { event: 'task.finished', task });
  });

  it('ignores what is not one of its messages', () => {
    for (const bad of ['', 'not json', '{"event":"task.finished"}', '{"event":"task.finished","fields":["id"]}', '{"event":"job.finished","job":{}}', '{"event":"job.deleted","job":{},"tasks":[]}', '[1,2]']) {
      assert.equal(decodeLiveEvent(bad), undefined, bad);
    }
  });
});
