import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse, listItem, localDateTime, statusObject } from '../../src/api/mappers/status.js';
import type { Account } from '../../src/core/accounts.js';
import { resolvePlan } from '../../src/core/catalog/resolve.js';
import type { ProcessRecord } from '../../src/core/process/record.js';

const CREATED = 1_700_000_000;
const DATE_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

const record = (overrides: Partial<ProcessRecord> = {}): ProcessRecord => ({
  id: 'abc123',
  owner: 'owner-1',
  host: 'conv.example.com:8080',
  scheme: 'https',
  createdAt: CREATED,
  mode: 'convert',
  step: 'input',
  percent: 0,
  message: 'Waiting for start',
  started: false,
  expire: CREATED + 3600,
  save: false,
  timeoutSeconds: 300,
  uploadToken: 'up-token',
  downloadToken: 'down-token',
  ...overrides,
});

const convertPlan = resolvePlan({ mode: 'convert', inputformat: 'png', outputformat: 'jpg', converteroptions: { quality: '80' } });
const infoPlan = resolvePlan({ mode: 'info', inputformat: 'png', outputformat: undefined, converteroptions: undefined });

const finished = (overrides: Partial<ProcessRecord> = {}): ProcessRecord =>
  record({
    started: true,
    startTime: CREATED + 5,
    endTime: CREATED + 9,
    step: 'finished',
    percent: 100,
    message: 'Conversion finished!',
    input: { type: 'upload', filename: 'photo.png', name: 'photo', ext: 'png', size: 1234 },
    inputSource: { kind: 'stored', key: 'k' },
    plan: convertPlan,
    output: { filename: 'photo.jpg', ext: 'jpg', size: 999 },
    ...overrides,
  });

const ALL_RECORDS: ReadonlyArray<[string, ProcessRecord]> = [
  ['created', record()],
  ['waiting for upload', record({ started: true, input: { type: 'upload' } })],
  ['converting', record({ started: true, step: 'convert', percent: 40, plan: convertPlan, input: { type: 'download' }, inputSource: { kind: 'download', url: 'https://example.com/a.png' } })],
  ['finished', finished()],
  ['error', finished({ step: 'error', errorCode: 'CONVERSION_FAILED', output: undefined, message: 'Broken input' })],
];

describe('statusObject', () => {
  for (const [name, r] of ALL_RECORDS) {
    it(`never has an error key (${name})`, () => {
      assert.equal(Object.hasOwn(statusObject(r, false), 'error'), false);
      assert.equal(Object.hasOwn(statusObject(r, true), 'error'), false);
    });
  }

  it('carries the basic fields of a created process', () => {
    const status = statusObject(record(), false);
    assert.equal(status['id'], 'abc123');
    assert.equal(status['url'], '//conv.example.com:8080/process/abc123');
    assert.equal(status['step'], 'input');
    assert.equal(status['percent'], 0);
    assert.equal(status['message'], 'Waiting for start');
    assert.equal(status['starttime'], CREATED);
    assert.equal(status['expire'], CREATED + 3600);
    assert.deepEqual(status['input'], {});
    assert.deepEqual(status['output'], {});
    assert.equal(status['minutes'], 0);
    assert.equal(Object.hasOwn(status, 'endtime'), false);
    assert.equal(Object.hasOwn(status, 'converter'), false);
    assert.equal(Object.hasOwn(status, 'upload'), false);
    assert.equal(Object.hasOwn(status, 'code'), false);
  });

  it('uses startTime for starttime once started', () => {
    assert.equal(statusObject(finished(), false)['starttime'], CREATED + 5);
  });

  it('gives upload.url only while waiting for an upload', () => {
    const waiting = statusObject(record({ started: true, input: { type: 'upload' } }), false);
    assert.deepEqual(waiting['upload'], { url: '//conv.example.com:8080/upload/~up-token' });

    const notStarted = record({ input: { type: 'upload' } });
    const received = record({ started: true, input: { type: 'upload' }, inputSource: { kind: 'stored', key: 'k' } });
    const download = record({ started: true, input: { type: 'download' } });
    const converting = record({ started: true, step: 'convert', input: { type: 'upload' } });
    for (const r of [notStarted, received, download, converting, finished()]) assert.equal(Object.hasOwn(statusObject(r, false), 'upload'), false, r.step);
  });

  it('gives code only in step error, by the process mapping', () => {
    const failed = (errorCode: ProcessRecord['errorCode']) => statusObject(record({ started: true, step: 'error', errorCode }), false)['code'];
    assert.equal(failed('CONVERSION_FAILED'), 422);
    assert.equal(failed('INVALID_OPTION'), 400);
    assert.equal(failed('TIMEOUT'), 422);
    assert.equal(failed('UNAVAILABLE'), 503);
    assert.equal(failed(undefined), 503);
    for (const [name, r] of ALL_RECORDS.filter(([, r]) => r.step !== 'error')) assert.equal(Object.hasOwn(statusObject(r, false), 'code'), false, name);
  });

  it('gives an empty output in step error', () => {
    assert.deepEqual(statusObject(finished({ step: 'error', errorCode: 'CONVERSION_FAILED' }), false)['output'], {});
  });

  it('uses protocol-relative URLs by default and absolute ones with the flag', () => {
    const waiting = record({ started: true, input: { type: 'upload' } });
    const relative = statusObject(waiting, false);
    const absolute = statusObject(waiting, true);
    assert.equal(relative['url'], '//conv.example.com:8080/process/abc123');
    assert.equal(absolute['url'], 'https://conv.example.com:8080/process/abc123');
    assert.deepEqual(absolute['upload'], { url: 'https://conv.example.com:8080/upload/~up-token' });
    assert.equal((statusObject(finished(), true)['output'] as Record<string, unknown>)['url'], 'https://conv.example.com:8080/download/~down-token');
    assert.equal((statusObject(finished({ scheme: 'http' }), true)['output'] as Record<string, unknown>)['url'], 'http://conv.example.com:8080/download/~down-token');
  });

  it('gives only the download url while converting', () => {
    const converting = record({ started: true, step: 'convert', plan: convertPlan });
    assert.deepEqual(statusObject(converting, false)['output'], { url: '//conv.example.com:8080/download/~down-token' });
    assert.deepEqual(statusObject({ ...converting, save: true }, false)['output'], { url: '//conv.example.com:8080/download/~down-token', save: true });
  });

  it('describes a finished single output', () => {
    const status = statusObject(finished(), false);
    assert.deepEqual(status['output'], { url: '//conv.example.com:8080/download/~down-token', filename: 'photo.jpg', ext: 'jpg', size: 999, downloads: 0 });
    assert.equal(status['minutes'], 1);
    assert.equal(status['endtime'], CREATED + 9);
    assert.equal(status['group'], 'image');
    assert.deepEqual(status['converter'], { mode: 'convert', format: 'jpg', type: 'sharp', options: convertPlan.options });
  });

  it('lists files for multiple outputs', () => {
    const status = statusObject(finished({ output: { filename: 'doc.zip', ext: 'zip', size: 5000, files: ['doc-1.png', 'doc-2.png'] } }), false);
    const output = status['output'] as Record<string, unknown>;
    assert.deepEqual(output['files'], ['doc-1.png', 'doc-2.png']);
    assert.equal(output['filename'], 'doc.zip');
    assert.equal(Object.hasOwn(statusObject(finished(), false)['output'] as object, 'files'), false);
  });

  it('counts a deleted download and shows save', () => {
    assert.equal((statusObject(finished({ filesDeleted: true }), false)['output'] as Record<string, unknown>)['downloads'], 1);
    assert.equal((statusObject(finished({ save: true }), false)['output'] as Record<string, unknown>)['save'], true);
    assert.equal(Object.hasOwn(statusObject(finished(), false)['output'] as object, 'save'), false);
  });

  it('gives info and an empty output for a started info process', () => {
    const info = { width: 10, height: 20, format: 'png' };
    const status = statusObject(finished({ mode: 'info', plan: infoPlan, output: undefined, info }), false);
    assert.deepEqual(status['output'], {});
    assert.deepEqual(status['info'], info);
    assert.equal((status['converter'] as Record<string, unknown>)['mode'], 'info');
  });
});

const account: Account = { id: 'acct', name: null, email: null, limits: { maxtimeSeconds: 1500, maxsizeMb: 1024, concurrent: 5, minutes: 1000, rateLimitRequests: 0, rateLimitWindowSeconds: 60 } };

describe('createResponse', () => {
  it('carries the process URL, host, expiry and account limits', () => {
    const response = createResponse(record(), account, false);
    assert.equal(response['url'], '//conv.example.com:8080/process/abc123');
    assert.equal(response['id'], 'abc123');
    assert.equal(response['host'], 'conv.example.com:8080');
    assert.match(String(response['expires']), DATE_TIME);
    assert.equal(response['expires'], localDateTime(CREATED + 3600));
    assert.equal(response['maxtime'], 1500);
    assert.equal(response['maxsize'], 1024);
    assert.equal(response['concurrent'], 5);
    assert.equal(response['minutes'], 1000);
    assert.equal(Object.hasOwn(response, 'error'), false);
  });
  it('uses an absolute URL with the flag', () => {
    assert.equal(createResponse(record(), account, true)['url'], 'https://conv.example.com:8080/process/abc123');
  });
});

describe('listItem', () => {
  it('gives endtime 0000-00-00 00:00:00 while running', () => {
    const item = listItem(record({ started: true, step: 'convert', startTime: CREATED + 5 }), false);
    assert.equal(item['endtime'], '0000-00-00 00:00:00');
    assert.equal(item['starttime'], localDateTime(CREATED + 5));
    assert.equal(item['step'], 'convert');
  });
  it('formats start and end once finished', () => {
    const item = listItem(finished(), true);
    assert.equal(item['starttime'], localDateTime(CREATED + 5));
    assert.equal(item['endtime'], localDateTime(CREATED + 9));
    assert.match(String(item['endtime']), DATE_TIME);
    assert.equal(item['url'], 'https://conv.example.com:8080/process/abc123');
    assert.equal(item['id'], 'abc123');
    assert.equal(item['host'], 'conv.example.com:8080');
  });
  it('falls back to createdAt before start', () => {
    assert.equal(listItem(record(), false)['starttime'], localDateTime(CREATED));
  });
});

describe('localDateTime', () => {
  it('prints YYYY-MM-DD HH:MM:SS, zero-padded', () => {
    // 2001-02-03 04:05:06 local time: every field below 10 so padding shows.
    const seconds = new Date(2001, 1, 3, 4, 5, 6).getTime() / 1000;
    assert.equal(localDateTime(seconds), '2001-02-03 04:05:06');
  });
  it('uses the server time zone, not UTC', () => {
    // Node re-reads TZ when it is assigned; a zone with a half-hour offset shows a UTC slip.
    const saved = process.env['TZ'];
    process.env['TZ'] = 'Asia/Kolkata';
    try {
      assert.equal(localDateTime(0), '1970-01-01 05:30:00');
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });
  it('round-trips in server-local time', () => {
    for (const seconds of [CREATED, CREATED + 86_399, 0]) {
      const text = localDateTime(seconds);
      assert.match(text, DATE_TIME);
      const [date = '', time = ''] = text.split(' ');
      const [y, mo, d] = date.split('-').map(Number);
      const [h, mi, s] = time.split(':').map(Number);
      assert.equal(new Date(y ?? 0, (mo ?? 0) - 1, d, h, mi, s).getTime() / 1000, seconds);
    }
  });
});
