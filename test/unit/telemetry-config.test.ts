// The observability settings: tracing is off unless an OTLP endpoint is set, the traces endpoint
// wins over the base one, OTEL_SDK_DISABLED turns it off, headers follow the OpenTelemetry
// `key=value,...` form, and BUILD_COMMIT must look like a commit. Each bad value names its variable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { buildInfo } from '../../src/core/build-info.js';

const refuses = (env: Record<string, string>, variable: string): void => {
  assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && e.variable === variable, JSON.stringify(env));
};

describe('tracing settings (OTEL_*)', () => {
  it('tracing is off without an endpoint', () => {
    assert.equal(loadConfig({}).telemetry.tracesUrl, undefined);
    assert.equal(loadConfig({}).telemetry.serviceName, 'openconvert');
  });

  it('OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/traces appended; the traces endpoint is taken as it is and wins', () => {
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).telemetry.tracesUrl, 'http://collector:4318/v1/traces');
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/base' }).telemetry.tracesUrl, 'http://collector:4318/base/v1/traces');
    const both = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/ingest' };
    assert.equal(loadConfig(both).telemetry.tracesUrl, 'https://traces.example/ingest');
    assert.equal(loadConfig({ ...both, OTEL_SDK_DISABLED: 'true' }).telemetry.tracesUrl, undefined);
  });

  it('refuses endpoints that are not http(s) URLs', () => {
    refuses({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    refuses({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  });

  it('reads OTEL_EXPORTER_OTLP_HEADERS as key=value pairs with percent-encoded values', () => {
    assert.deepEqual(loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'X-Api-Key=abc%3D%3D, x-team = ops' }).telemetry.headers, { 'x-api-key': 'abc==', 'x-team': 'ops' });
    assert.deepEqual(loadConfig({}).telemetry.headers, {});
    refuses({ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, 'OTEL_EXPORTER_OTLP_HEADERS');
    refuses({ OTEL_EXPORTER_OTLP_HEADERS: 'bad name=1' }, 'OTEL_EXPORTER_OTLP_HEADERS');
    refuses({ OTEL_EXPORTER_OTLP_HEADERS: 'x=%zz' }, 'OTEL_EXPORTER_OTLP_HEADERS');
  });

  it('OTEL_SERVICE_NAME: printable, at most 100 characters', () => {
    assert.equal(loadConfig({ OTEL_SERVICE_NAME: 'convert-eu' }).telemetry.serviceName, 'convert-eu');
    refuses({ OTEL_SERVICE_NAME: 'x'.repeat(101) }, 'OTEL_SERVICE_NAME');
  });
});

describe('build information', () => {
  it('BUILD_COMMIT takes 7 to 64 hex digits', () => {
    assert.equal(loadConfig({ BUILD_COMMIT: 'AbC1234' }).buildCommit, 'AbC1234');
    assert.equal(loadConfig({}).buildCommit, undefined);
    refuses({ BUILD_COMMIT: 'abc12' }, 'BUILD_COMMIT');
    refuses({ BUILD_COMMIT: 'main-branch' }, 'BUILD_COMMIT');
  });

  it('buildInfo reads name and version from package.json and adds the commit only when known', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    assert.deepEqual(buildInfo(undefined), { name: pkg.name, version: pkg.version, node: process.version });
    assert.equal(buildInfo('deadbeef').commit, 'deadbeef');
  });
});
