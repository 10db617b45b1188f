// The conversion limits of the configuration: defaults, and a bad value failing at start with
// the variable's name.
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
