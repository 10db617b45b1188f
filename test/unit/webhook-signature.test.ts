// The CloudConvert-Signature and the checks of POST /v2/webhooks, without Redis or HTTP.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { notificationId } from '../../src/core/notifications.js';
import { InvalidDataError } from '../../src/core/v2/operations/types.js';
import { newSigningSecret, webhookSignature } from '../../src/core/v2/webhook-signature.js';
import { checkWebhookRequest } from '../../src/core/v2/webhooks.js';

const fieldErrors = (body: unknown, allowPrivate = false): Record<string, string[]> => {
  try {
    checkWebhookRequest(body, allowPrivate);
  } catch (error) {
    assert.ok(error instanceof InvalidDataError, String(error));
    return error.errors;
  }
  assert.fail(`${JSON.stringify(body)} was accepted`);
};

describe('webhook signature', () => {
  it('matches the vector of the Python and Java SDKs (wire spec 11.2)', () => {
    assert.equal(webhookSignature('90sffs0d8fs0f9sf0', 'cloudconvert'), '5c4c0691bce8a1a2af738b7073fe0627e792734813358c5f88a658819dd0a6d2');
  });

  it('is lowercase hex over the exact bytes: one more byte (a trailing newline) changes it', () => {
    const body = '{"event":"job.finished","job":{"id":"x"}}';
    const signature = webhookSignature('secret', Buffer.from(body));
    assert.match(signature, /^[0-9a-f]{64}$/);
    assert.equal(signature, webhookSignature('secret', body));
    assert.notEqual(signature, webhookSignature('secret', `${body}\n`));
    // A non-ASCII secret is keyed by its UTF-8 bytes, as PHP's hash_hmac does.
    assert.equal(webhookSignature('sécret', body), createHmac('sha256', Buffer.from('sécret', 'utf8')).update(body).digest('hex'));
  });

  it('secrets are 32 letters and digits, new each time', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => newSigningSecret()));
    assert.equal(secrets.size, 50);
    for (const secret of secrets) assert.match(secret, /^[A-Za-z0-9]{32}$/);
  });
});

describe('POST /v2/webhooks checks', () => {
  it('takes a public URL and known events, deduplicated, the URL kept as given', () => {
    assert.deepEqual(checkWebhookRequest({ url: 'https://example.com', events: ['job.finished', 'job.failed', 'job.finished'] }, false), { url: 'https://example.com', events: ['job.finished', 'job.failed'] });
  });

  it('names url and events when both are missing or the body is no object', () => {
    for (const body of [{}, undefined, [], 'text']) assert.deepEqual(Object.keys(fieldErrors(body)).sort(), ['events', 'url']);
  });

  it('refuses unknown, empty and non-array events, naming only events', () => {
    for (const events of [['job.created', 'task.finished'], [], { 'job.created': true }, [1]]) {
      const errors = fieldErrors({ url: 'https://example.com/hook', events });
      assert.deepEqual(Object.keys(errors), ['events'], JSON.stringify(events));
      assert.match(errors.events?.[0] ?? '', /job\.created, job\.finished, job\.failed/);
    }
  });

  it('refuses private addresses unless the operator allows them, and non-http schemes', () => {
    assert.deepEqual(Object.keys(fieldErrors({ url: 'http://127.0.0.1:8080/hook', events: ['job.created'] })), ['url']);
    assert.deepEqual(Object.keys(fieldErrors({ url: 'http://[::1]/hook', events: ['job.created'] })), ['url']);
    assert.deepEqual(Object.keys(fieldErrors({ url: 'ftp://example.com/hook', events: ['job.created'] }, true)), ['url']);
    assert.equal(checkWebhookRequest({ url: 'http://127.0.0.1:8080/hook', events: ['job.created'] }, true).url, 'http://127.0.0.1:8080/hook');
  });

  it('delivery job ids hold no colon (BullMQ refuses them) and differ per event and target', () => {
    const base = { kind: 'webhook', jobId: '6c3f3c70-8a3b-4b43-9b61-4f1c8c1a4f01', owner: 'o', url: 'https://example.com', body: '{}' } as const;
    const ids = [notificationId({ ...base, event: 'job.created', webhookId: 'a' }), notificationId({ ...base, event: 'job.finished', webhookId: 'a' }), notificationId({ ...base, event: 'job.finished' })];
    assert.equal(new Set(ids).size, 3);
    for (const id of ids) assert.doesNotMatch(id, /:/);
  });
});
