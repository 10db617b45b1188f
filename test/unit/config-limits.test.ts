// The conversion limits of the configuration, the pools' and light tools' memory limits among them: defaults,
// and a bad value failing at start with the variable's name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';

describe('IMAGE_MAX_PAGES', () => {
  it('defaults to 500 and takes a whole number', () => {
    assert.equal(loadConfig({}, '/srv').image.maxPages, 500);
    assert.equal(loadConfig({ IMAGE_MAX_PAGES: '20' }, '/srv').image.maxPages, 20);
  });
  it('refuses anything else, naming the variable', () => {
    for (const value of ['0', '-1', 'many', '1.5', '100001']) {
      assert.throws(() => loadConfig({ IMAGE_MAX_PAGES: value }, '/srv'), (e: unknown) => e instanceof ConfigError && e.variable === 'IMAGE_MAX_PAGES', value);
    }
  });
});

describe('LIBREOFFICE_MAX_RSS_MB / CHROMIUM_MAX_RSS_MB', () => {
  it('default to 1024 and 2048 MiB, take 0 for no limit, and refuse anything else', () => {
    const MB = 1024 * 1024;
    const config = loadConfig({}, '/srv');
    assert.deepEqual([config.office.maxRssBytes, config.chromium.maxRssBytes], [1024 * MB, 2048 * MB]);
    assert.equal(loadConfig({ LIBREOFFICE_MAX_RSS_MB: '0', CHROMIUM_MAX_RSS_MB: '0' }, '/srv').office.maxRssBytes, 0);
    for (const variable of ['LIBREOFFICE_MAX_RSS_MB', 'CHROMIUM_MAX_RSS_MB']) {
      assert.throws(() => loadConfig({ [variable]: 'lots' }, '/srv'), (e: unknown) => e instanceof ConfigError && e.variable === variable, variable);
    }
  });
});

describe('LIGHT_TOOL_MEMORY_MB', () => {
  const MB = 1024 * 1024;
  it('defaults to 1024 MiB, or to TOOL_MEMORY_MB when that is lower (an older deployment that lowered it still starts)', () => {
    assert.equal(loadConfig({}, '/srv').sandbox.lightMemoryBytes, 1024 * MB);
    assert.equal(loadConfig({ TOOL_MEMORY_MB: '512' }, '/srv').sandbox.lightMemoryBytes, 512 * MB);
    assert.equal(loadConfig({ TOOL_MEMORY_MB: '2560', LIGHT_TOOL_MEMORY_MB: '2560' }, '/srv').sandbox.lightMemoryBytes, 2560 * MB);
  });
  it('refuses a value above TOOL_MEMORY_MB or outside 64.., naming the variable', () => {
    for (const env of [{ TOOL_MEMORY_MB: '512', LIGHT_TOOL_MEMORY_MB: '1024' }, { LIGHT_TOOL_MEMORY_MB: '4097' }, { LIGHT_TOOL_MEMORY_MB: '63' }, { LIGHT_TOOL_MEMORY_MB: 'half' }]) {
      assert.throws(() => loadConfig(env, '/srv'), (e: unknown) => e instanceof ConfigError && e.variable === 'LIGHT_TOOL_MEMORY_MB', JSON.stringify(env));
    }
    assert.throws(() => loadConfig({ TOOL_MEMORY_MB: '512', LIGHT_TOOL_MEMORY_MB: '1024' }, '/srv'), /LIGHT_TOOL_MEMORY_MB must not be above TOOL_MEMORY_MB \(512\), got 1024/);
  });
});
