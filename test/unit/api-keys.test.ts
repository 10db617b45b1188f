// The generated API key: with neither API_KEYS nor KEYS_FILE, the API and the workers of a compose
// stack start together on one shared DATA_DIR and must all end up with the same key, and none may
// read a half-written key file.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { ensureApiKeys } from '../../src/runtime/api-keys.js';

describe('ensureApiKeys without API_KEYS or KEYS_FILE', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'oc-api-key-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const configIn = (dataDir: string) => loadConfig({ DATA_DIR: dataDir }, root);

  it('gives processes that start together on one folder the same key, the one in the file', async () => {
    const dataDir = path.join(root, 'together');
    const results = await Promise.all(Array.from({ length: 8 }, () => ensureApiKeys(configIn(dataDir))));
    const keys = new Set(results.map((r) => r.generated));
    assert.equal(keys.size, 1, `one key for all, got ${[...keys].join(', ')}`);
    const [key] = keys;
    assert.match(key ?? '', /^[A-Za-z0-9_-]{32}$/);
    assert.equal(await readFile(path.join(dataDir, 'api-key'), 'utf8'), `${key}\n`);
    assert.deepEqual(results[0]?.keys.map((k) => k.key), [key]);
    assert.deepEqual(await readdir(dataDir), ['api-key'], 'no temp files left behind');
  });

  it('keeps the key of an earlier start', async () => {
    const dataDir = path.join(root, 'restart');
    const first = await ensureApiKeys(configIn(dataDir));
    const second = await ensureApiKeys(configIn(dataDir));
    assert.equal(second.generated, first.generated);
  });

  it('refuses an empty key file instead of guessing, naming the file and the fix', async () => {
    const dataDir = path.join(root, 'empty');
    await ensureApiKeys(configIn(dataDir));
    await writeFile(path.join(dataDir, 'api-key'), '\n');
    await assert.rejects(ensureApiKeys(configIn(dataDir)), (error: Error) => {
      assert.match(error.message, /api-key/);
      assert.match(error.message, /API_KEYS/);
      return true;
    });
  });

  it('generates nothing when API_KEYS is set', async () => {
    const dataDir = path.join(root, 'configured');
    const result = await ensureApiKeys(loadConfig({ DATA_DIR: dataDir, API_KEYS: 'a-configured-key' }, root));
    assert.equal(result.generated, undefined);
    assert.deepEqual(result.keys.map((k) => k.key), ['a-configured-key']);
    await assert.rejects(readdir(dataDir), { code: 'ENOENT' });
  });
});
