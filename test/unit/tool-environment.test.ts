import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toolEnvironment } from '../../src/config/index.js';
import { runTool } from '../../workers/tools/run-tool.js';

describe('the environment of external tools', () => {
  it('keeps only PATH, HOME, LANG, LC_*, TZ and TMPDIR', () => {
    const env = toolEnvironment({ PATH: '/bin', HOME: '/root', LANG: 'C.UTF-8', REDIS_URL: 'redis://:secret@h', STORAGE_S3_SECRET_ACCESS_KEY: 'k', API_KEYS: 'a' });
    assert.deepEqual(env, { PATH: '/bin', HOME: '/root', LANG: 'C.UTF-8' });
  });

  it('is what a tool run by runTool sees, plus its own variables', async () => {
    process.env['OPENCONVERT_TEST_SECRET'] = 'do-not-leak';
    try {
      const { stdout } = await runTool('/usr/bin/env', [], { signal: new AbortController().signal, env: { TOOL_OWN: 'yes' } });
      assert.doesNotMatch(stdout, /OPENCONVERT_TEST_SECRET|do-not-leak/);
      assert.match(stdout, /^TOOL_OWN=yes$/m);
      assert.match(stdout, /^PATH=/m);
    } finally {
      delete process.env['OPENCONVERT_TEST_SECRET'];
    }
  });
});
