// SECRETS_KEY and the generated key file: keys in hex or base64, several for a rotation, bad ones
// refused without being shown; without SECRETS_KEY a key is created once in DATA_DIR (mode 0600),
// reused by every later start, and two starts racing to create it end up with the same key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, stat, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { secretKeyId } from '../../src/core/secret-cipher.js';
import { createKeyFile, loadSecretsKeyring, secretsKeyFile } from '../../src/runtime/secrets-key.js';

const load = (env: Record<string, string>) => loadConfig(env, '/srv');

describe('config: SECRETS_KEY', () => {
  const key = randomBytes(32);

  it('is unset by default', () => {
    assert.equal(load({}).secretsKeys, undefined);
  });

  it('takes 32 bytes in hex, base64 or base64url, several separated by commas', () => {
    for (const text of [key.toString('hex'), key.toString('base64'), key.toString('base64url'), key.toString('base64').replace(/=$/, '')]) {
      assert.deepEqual(load({ SECRETS_KEY: text }).secretsKeys, [key.toString('base64')], text);
    }
    const second = randomBytes(32);
    assert.deepEqual(load({ SECRETS_KEY: ` ${key.toString('hex')} , ${second.toString('base64')} ` }).secretsKeys, [key.toString('base64'), second.toString('base64')]);
  });

  it('refuses keys of another length or alphabet, naming SECRETS_KEY and not showing the value', () => {
    const wrong = [randomBytes(16).toString('hex'), randomBytes(33).toString('base64'), 'correct horse battery staple', `${key.toString('hex')},${randomBytes(31).toString('hex')}`];
    for (const value of wrong) {
      assert.throws(
        () => load({ SECRETS_KEY: value }),
        (e: unknown) => e instanceof ConfigError && e.variable === 'SECRETS_KEY' && !value.split(',').some((part) => e.message.includes(part)),
        value,
      );
    }
  });
});

describe('the secrets keyring', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-secrets-key-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses SECRETS_KEY when set, and writes no file', async () => {
    const dataDir = path.join(dir, 'configured');
    const key = randomBytes(32);
    const keyring = loadSecretsKeyring(loadConfig({ DATA_DIR: dataDir, SECRETS_KEY: key.toString('hex') }));
    assert.equal(keyring.source, 'SECRETS_KEY');
    assert.equal(keyring.cipher.keyId, secretKeyId(key));
    await assert.rejects(stat(dataDir), 'no DATA_DIR created');
  });

  it('without it, creates DATA_DIR/secrets-key (0600) once and reuses it', async () => {
    const dataDir = path.join(dir, 'generated');
    const first = loadSecretsKeyring(loadConfig({ DATA_DIR: dataDir }));
    const file = secretsKeyFile(dataDir);
    assert.deepEqual([first.source, first.generated], [file, true]);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const again = loadSecretsKeyring(loadConfig({ DATA_DIR: dataDir }));
    assert.deepEqual([again.generated, again.cipher.keyId], [false, first.cipher.keyId], 'the same key on the next start');
    assert.equal(first.cipher.open(again.cipher.seal('x', 'c'), 'c'), 'x');
    assert.deepEqual(await readdir(dataDir), ['secrets-key'], 'no temporary file left');
  });

  it('lets the loser of a creation race read the winner’s key', async () => {
    const file = path.join(dir, 'race', 'secrets-key');
    const winner = randomBytes(32);
    assert.deepEqual(createKeyFile(file, winner), { key: winner, created: true });
    const loser = createKeyFile(file, randomBytes(32));
    assert.deepEqual(loser, { key: winner, created: false });
    assert.equal(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64').toString('hex'), winner.toString('hex'));
    assert.deepEqual(await readdir(path.dirname(file)), ['secrets-key']);
  });

  it('refuses a key file that holds no key, naming the file and SECRETS_KEY', async () => {
    const dataDir = path.join(dir, 'broken');
    await mkdir(dataDir);
    await writeFile(secretsKeyFile(dataDir), 'not a key\n');
    assert.throws(() => loadSecretsKeyring(loadConfig({ DATA_DIR: dataDir })), (e: unknown) => e instanceof Error && e.message.includes(secretsKeyFile(dataDir)) && e.message.includes('SECRETS_KEY'));
  });
});
