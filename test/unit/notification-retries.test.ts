import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import { appError } from '../../src/core/errors.js';
import { isFinalFailure } from '../../workers/notifications/notification-worker.js';

describe('notification retries', () => {
  it('follow the error catalogue: a retryable AppError is tried again, a bad-input one is not', () => {
    assert.equal(isFinalFailure(appError('UNAVAILABLE')), false);
    assert.equal(isFinalFailure(appError('RATE_LIMITED')), false);
    assert.equal(isFinalFailure(appError('URL_FORBIDDEN')), true);
    assert.equal(isFinalFailure(new UnrecoverableError('no SMTP')), true);
    assert.equal(isFinalFailure(new Error('socket hang up')), false);
  });
});
