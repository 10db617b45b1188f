// Settings of the API's security limits: their defaults, and refusals that name the variable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const load = (env: Record<string, string> = {}) => loadConfig(env, '/srv');

export function refuses(env: Record<string, string>, variable: string): void {
  assert.throws(() => load(env), (e: unknown) => e instanceof ConfigError && e.variable === variable && e.message.includes(variable), variable);
}

describe('config: e-mail', () => {
  it("mails only the key's own address unless EMAIL_ALLOW_ANY_ADDRESS=true", () => {
    assert.equal(load().notifications.allowAnyEmail, false);
    assert.equal(load({ EMAIL_ALLOW_ANY_ADDRESS: 'true' }).notifications.allowAnyEmail, true);
    refuses({ EMAIL_ALLOW_ANY_ADDRESS: 'sometimes' }, 'EMAIL_ALLOW_ANY_ADDRESS');
  });
});

describe('config: METRICS_KEY', () => {
  it('is unset by default (operator routes open) and refuses a short or spaced key', () => {
    assert.equal(load().metricsKey, undefined);
    assert.equal(load({ METRICS_KEY: 'abcdef0123456789abcd' }).metricsKey, 'abcdef0123456789abcd');
    refuses({ METRICS_KEY: 'short' }, 'METRICS_KEY');
    refuses({ METRICS_KEY: 'has a space in it 0123456789' }, 'METRICS_KEY');
  });
});

describe('config: request timeouts', () => {
  it('defaults to 1800 s for a whole request and 30 s for its headers', () => {
    const { requestTimeoutMs, headersTimeoutMs } = load().server;
    assert.deepEqual([requestTimeoutMs, headersTimeoutMs], [1_800_000, 30_000]);
    assert.equal(load({ REQUEST_TIMEOUT_SECONDS: '0' }).server.requestTimeoutMs, 0, '0 turns the request timeout off');
  });

  it('refuses bad values and headers allowed longer than the whole request, naming the variable', () => {
    refuses({ REQUEST_TIMEOUT_SECONDS: 'soon' }, 'REQUEST_TIMEOUT_SECONDS');
    refuses({ HEADERS_TIMEOUT_SECONDS: '0' }, 'HEADERS_TIMEOUT_SECONDS');
    refuses({ REQUEST_TIMEOUT_SECONDS: '10', HEADERS_TIMEOUT_SECONDS: '20' }, 'HEADERS_TIMEOUT_SECONDS');
  });
});

describe('config: keyless spooling, failed keys and proxies', () => {
  it('has sensible defaults', () => {
    const config = load();
    assert.equal(config.server.unauthenticatedSpoolBytes, 256 * 1024 * 1024);
    assert.deepEqual(config.keyFailures, { limit: 20, windowSeconds: 600 });
    assert.equal(config.server.trustProxy, false);
  });

  it('reads TRUST_PROXY as a flag or a list of addresses and CIDRs', () => {
    assert.equal(load({ TRUST_PROXY: 'true' }).server.trustProxy, true);
    assert.equal(load({ TRUST_PROXY: ' 10.0.0.0/8, ::1 ,192.168.1.1 ' }).server.trustProxy, '10.0.0.0/8,::1,192.168.1.1');
  });

  it('refuses bad values, naming the variable', () => {
    refuses({ UNAUTHENTICATED_SPOOL_MB: '-1' }, 'UNAUTHENTICATED_SPOOL_MB');
    refuses({ KEY_FAILURE_LIMIT: 'many' }, 'KEY_FAILURE_LIMIT');
    refuses({ KEY_FAILURE_WINDOW_SECONDS: '0' }, 'KEY_FAILURE_WINDOW_SECONDS');
    refuses({ TRUST_PROXY: 'proxy.local' }, 'TRUST_PROXY');
    refuses({ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY');
  });
});
