import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { httpStatusFor } from '../../src/api/http-status.js';
import { ERROR_CATALOGUE, type ErrorCode } from '../../src/core/errors.js';

const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** What each code must answer when a request fails, spelled out rather than derived. */
const REQUEST_STATUS: Readonly<Record<ErrorCode, number>> = {
  API_KEY_MISSING: 401,
  API_KEY_INVALID: 403,
  INVALID_PARAMETER: 400,
  MISSING_PARAMETER: 400,
  UNSUPPORTED_CONVERSION: 400,
  INVALID_OPTION: 400,
  NOT_SUPPORTED_YET: 400,
  INVALID_FILENAME: 400,
  INPUT_UNAVAILABLE: 400,
  URL_FORBIDDEN: 400,
  OUTPUT_FAILED: 400,
  PROCESS_NOT_FOUND: 404,
  FILE_DELETED: 404,
  FILE_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  WRONG_STATE: 400,
  TOO_LARGE: 413,
  CONVERSION_FAILED: 422,
  TIMEOUT: 422,
  CANCELLED: 422,
  NO_MINUTES: 402,
  RATE_LIMITED: 429,
  PRESET_NOT_FOUND: 400,
  SECRETS_UNREADABLE: 500,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

const KIND_STATUS = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  payment_required: 402,
  throttled: 429,
  conversion_failed: 422,
  unavailable: 503,
  internal: 500,
} as const;

describe('httpStatusFor in request context', () => {
  for (const code of CODES) {
    it(`${code} → ${REQUEST_STATUS[code]}`, () => {
      assert.equal(httpStatusFor(code, 'request'), REQUEST_STATUS[code]);
      assert.equal(httpStatusFor(code, 'request'), KIND_STATUS[ERROR_CATALOGUE[code].kind]);
    });
  }
});

describe('httpStatusFor in process context', () => {
  for (const code of CODES) {
    it(`${code} → 400, 422 or 503`, () => {
      const status = httpStatusFor(code, 'process');
      assert.ok([400, 422, 503].includes(status), `${code} → ${status}`);
      const kind = ERROR_CATALOGUE[code].kind;
      const expected = kind === 'bad_request' ? 400 : kind === 'internal' || kind === 'unavailable' ? 503 : 422;
      assert.equal(status, expected);
    });
  }

  it('is the default context', () => {
    for (const code of CODES) assert.equal(httpStatusFor(code), httpStatusFor(code, 'process'), code);
  });

  it('maps the typical codes as the API document says', () => {
    assert.equal(httpStatusFor('INVALID_OPTION', 'process'), 400);
    assert.equal(httpStatusFor('CONVERSION_FAILED', 'process'), 422);
    assert.equal(httpStatusFor('TIMEOUT', 'process'), 422);
    assert.equal(httpStatusFor('TOO_LARGE', 'process'), 422);
    assert.equal(httpStatusFor('INTERNAL', 'process'), 503);
    assert.equal(httpStatusFor('UNAVAILABLE', 'process'), 503);
  });
});
