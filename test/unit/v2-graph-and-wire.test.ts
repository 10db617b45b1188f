// The pure parts of API v2: the job graph check, job status from tasks, and the wire objects
// (key order, never-null numbers, includes only when asked).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkJobTasks, findCycle } from '../../src/core/v2/graph.js';
import { jobStatus, type TaskRecord } from '../../src/core/v2/model.js';
import { OPERATION_HANDLERS, InvalidDataError } from '../../src/core/v2/operations/index.js';
import { isoTime, jobObject, taskObject, userIdOf } from '../../src/core/v2/wire.js';

const check = (operation: keyof typeof OPERATION_HANDLERS, payload: Readonly<Record<string, unknown>>) => OPERATION_HANDLERS[operation].check(payload, { allowPrivateUrls: false, commandEnabled: false, maxBytes: 1024 * 1024 });

const errorsOf = (tasks: unknown): Record<string, string[]> => {
  try {
    checkJobTasks({ tasks }, check);
  } catch (error) {
    assert.ok(error instanceof InvalidDataError);
    return error.errors;
  }
  assert.fail('expected a 422');
};

const task = (over: Partial<TaskRecord>): TaskRecord => ({ id: '00000000-0000-4000-8000-000000000001', owner: 'o', operation: 'convert', status: 'waiting', message: null, code: null, percent: 0, payload: { output_format: 'png', secret_access_key: undefined }, dependsOn: [], ignoreError: false, createdAt: 1_600_000_000, token: 't', base: 'http://h:1', ...over });

describe('API v2 job graph', () => {
  it('accepts a chain and resolves inputs given as a name or a list', () => {
    const planned = checkJobTasks({ tasks: { a: { operation: 'import/raw', file: 'x', filename: 'a.txt' }, b: { operation: 'export/url', input: 'a' }, c: { operation: 'export/url', input: ['a', 'b'] } } }, check);
    assert.deepEqual(planned.map((t) => [t.name, t.inputs]), [['a', []], ['b', ['a']], ['c', ['a', 'b']]]);
  });

  it('names each bad field under tasks.<name>.<field>', () => {
    const errors = errorsOf({ 'bad name!': { operation: 'import/upload' }, a: { operation: 'convert', input: 'nope' }, b: { operation: 'import/url' }, c: { operation: 'export/url' } });
    assert.ok(errors['tasks.bad name!']);
    assert.ok(errors['tasks.a.input']?.some((m) => m.includes('nope')));
    assert.ok(errors['tasks.a.output_format']);
    assert.ok(errors['tasks.b.url']);
    assert.ok(errors['tasks.c.input']);
  });

  it('refuses an empty job, a huge graph and a cycle', () => {
    assert.ok(errorsOf({})['tasks']);
    assert.ok(errorsOf([])['tasks']);
    assert.ok(errorsOf(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, { operation: 'import/upload' }])))['tasks']?.[0]?.includes('at most 50'));
    const cycle = errorsOf({ a: { operation: 'export/url', input: 'c' }, b: { operation: 'export/url', input: 'a' }, c: { operation: 'export/url', input: 'b' } });
    assert.match(cycle['tasks']?.[0] ?? '', /cycle/);
  });

  it('finds cycles, self-loops included, and none in a diamond', () => {
    assert.deepEqual(findCycle([{ name: 'a', inputs: ['a'] }]), ['a', 'a']);
    assert.equal(findCycle([{ name: 'a', inputs: [] }, { name: 'b', inputs: ['a'] }, { name: 'c', inputs: ['a'] }, { name: 'd', inputs: ['b', 'c'] }]), undefined);
  });

  it('ignores unknown options, as v1 does, and names a bad value of a known one', () => {
    assert.doesNotThrow(() => check('convert', { input_format: 'png', output_format: 'jpg', not_an_option: 'x', quality: 80 }));
    const errors = errorsOf({ a: { operation: 'import/upload' }, b: { operation: 'convert', input: 'a', input_format: 'png', output_format: 'jpg', quality: 500 } });
    assert.ok(errors['tasks.b.quality']?.[0]?.includes('quality'), JSON.stringify(errors));
  });

  it('refuses private URLs and keeps S3 credentials out of the stored payload', () => {
    assert.ok(errorsOf({ a: { operation: 'import/url', url: 'http://10.0.0.1/x' } })['tasks.a.url']);
    const checked = check('import/s3', { bucket: 'b', access_key_id: 'AK', secret_access_key: 'SK', key: 'k/file.png' });
    assert.equal(JSON.stringify(checked.payload).includes('SK'), false);
    assert.equal(checked.secrets?.input?.kind, 's3');
  });
});

describe('API v2 job status', () => {
  it('follows its tasks', () => {
    assert.equal(jobStatus([task({}), task({})]), 'waiting');
    assert.equal(jobStatus([task({ status: 'finished' }), task({})]), 'processing');
    assert.equal(jobStatus([task({ status: 'finished' }), task({ status: 'finished' })]), 'finished');
    assert.equal(jobStatus([task({ status: 'finished' }), task({ status: 'error' })]), 'error');
    assert.equal(jobStatus([task({ status: 'finished' }), task({ status: 'error', ignoreError: true })]), 'finished');
  });
});

describe('API v2 wire objects', () => {
  it('never sends null numbers, omits name outside jobs, and shows payload only when included', () => {
    const object = taskObject(task({}));
    for (const field of ['percent', 'user_id', 'priority']) assert.equal(typeof object[field], 'number', field);
    assert.equal('name' in object, false);
    assert.equal('payload' in object, false);
    assert.equal('retries' in object, false);
    assert.deepEqual(Object.keys(object).slice(0, 4), ['id', 'job_id', 'status', 'credits']);
    assert.ok('payload' in taskObject(task({}), { include: ['payload'] }));
    assert.deepEqual(taskObject(task({}), { include: ['retries'] })['retries'], []);
  });

  it('gives upload forms string parameters and exports absolute URLs', () => {
    const upload = taskObject(task({ operation: 'import/upload', form: { url: 'http://h:1/v2/upload/x', parameters: { expires: '1', signature: 's' } } }));
    const params = ((upload['result'] as Record<string, unknown>)['form'] as { parameters: Record<string, unknown> }).parameters;
    assert.ok(Object.values(params).every((v) => typeof v === 'string'));
    const exported = taskObject(task({ operation: 'export/url', status: 'finished', files: [{ filename: 'a b.png', size: 3, key: 'k' }] }));
    const file = ((exported['result'] as Record<string, unknown>)['files'] as Array<Record<string, unknown>>)[0];
    assert.equal(file?.['url'], 'http://h:1/v2/files/00000000-0000-4000-8000-000000000001/t/a%20b.png');
    assert.equal(file?.['size'], 3);
  });

  it('writes ISO times with +00:00 and a stable integer user id', () => {
    assert.equal(isoTime(1_608_183_243), '2020-12-17T05:34:03+00:00');
    assert.equal(isoTime(undefined), null);
    assert.equal(userIdOf('abc'), userIdOf('abc'));
    assert.ok(Number.isInteger(userIdOf('abc')) && userIdOf('abc') !== userIdOf('abd'));
  });

  it('lists a job with its tasks, status and times', () => {
    const job = jobObject({ id: 'j', owner: 'o', tag: null, createdAt: 1, taskIds: [], base: 'http://h:1' }, [task({ status: 'finished', startedAt: 2, endedAt: 5, jobId: 'j', name: 'n' })], { withTasks: true });
    assert.equal(job['status'], 'finished');
    assert.equal(job['ended_at'], isoTime(5));
    assert.equal((job['tasks'] as Array<Record<string, unknown>>)[0]?.['name'], 'n');
    assert.deepEqual(job['links'], { self: 'http://h:1/v2/jobs/j' });
  });
});
