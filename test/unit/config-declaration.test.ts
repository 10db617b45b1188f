// The settings' declaration at work: each kind of bad value fails naming its variable, derived
// defaults follow their source and stay within their own range, units are converted, and the
// Config is frozen; secret settings may come from `<NAME>_FILE` and never show their value in errors.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderConfigTable } from '../../src/config/docs.js';
import { ConfigError, loadConfig, type Config } from '../../src/config/index.js';
import { SECTIONS } from '../../src/config/settings.js';

const load = (env: Record<string, string> = {}): Config => loadConfig(env, '/srv');

function refuses(env: Record<string, string>, variable: string): void {
  assert.throws(() => load(env), (e: unknown) => e instanceof ConfigError && e.variable === variable && e.message.includes(variable), `${JSON.stringify(env)} names ${variable}`);
}

describe('config: each kind of bad value fails at start, naming the variable', () => {
  it('integers: not a whole number, or outside the range', () => {
    for (const value of ['many', '1.5', '0x10', '-1', '65536']) refuses({ PORT: value }, 'PORT');
    refuses({ WORKER_CONCURRENCY: '257' }, 'WORKER_CONCURRENCY');
  });

  it('booleans: anything but true/false, 1/0, yes/no, on/off', () => {
    refuses({ ABSOLUTE_URLS: 'sometimes' }, 'ABSOLUTE_URLS');
    assert.equal(load({ ABSOLUTE_URLS: 'Yes' }).server.absoluteUrls, true);
    assert.equal(load({ REQUIRE_WORKER: 'off' }).queue.requireWorker, false);
  });

  it('words from a list: TOOL_SANDBOX and LOG_LEVEL', () => {
    refuses({ TOOL_SANDBOX: 'docker' }, 'TOOL_SANDBOX');
    refuses({ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL');
    refuses({ LOG_LEVEL: 'INFO' }, 'LOG_LEVEL');
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const) assert.equal(load({ LOG_LEVEL: level }).logLevel, level);
  });

  it('text with a rule, and lists of items with a rule', () => {
    refuses({ REDIS_PREFIX: 'has space' }, 'REDIS_PREFIX');
    refuses({ REDIS_PREFIX: 'x'.repeat(41) }, 'REDIS_PREFIX');
    refuses({ API_KEYS: 'good-key-123,short' }, 'API_KEYS');
    assert.deepEqual(load({ API_KEYS: ' good-key-123 , other-key-456 ,' }).apiKeys, ['good-key-123', 'other-key-456']);
  });

  it('URLs: unparsable, or with a protocol the setting does not take', () => {
    refuses({ PUBLIC_URL: 'example.com' }, 'PUBLIC_URL');
    refuses({ PUBLIC_URL: 'ftp://example.com' }, 'PUBLIC_URL');
    refuses({ REDIS_URL: 'http://redis:6379' }, 'REDIS_URL');
    refuses({ SMTP_URL: 'mail.example.com' }, 'SMTP_URL');
    refuses({ DROPBOX_API_URL: 'api.dropbox.local' }, 'DROPBOX_API_URL');
  });

  it('values with their own parser', () => {
    refuses({ DROPBOX_FOLDER: 'outputs/../secrets' }, 'DROPBOX_FOLDER');
    refuses({ STORAGE_URL: 'gs://bucket' }, 'STORAGE_URL');
    refuses({ TRUST_PROXY: 'proxy.local' }, 'TRUST_PROXY');
  });

  it('a blank variable takes the default', () => {
    assert.equal(load({ PORT: '  ', LOG_LEVEL: '' }).server.port, 8080);
    assert.equal(load({ LOG_LEVEL: '' }).logLevel, 'info');
  });
});

describe('config: derived defaults', () => {
  it('pool sizes follow WORKER_CONCURRENCY unless set', () => {
    const config = load({ WORKER_CONCURRENCY: '7', LIBREOFFICE_POOL_SIZE: '1' });
    assert.deepEqual([config.worker.concurrency, config.chromium.poolSize, config.office.poolSize], [7, 7, 1]);
  });

  it('are clamped into their own range: WORKER_CONCURRENCY=200 starts at most 64 browsers and offices', () => {
    const config = load({ WORKER_CONCURRENCY: '200' });
    assert.deepEqual([config.worker.concurrency, config.chromium.poolSize, config.office.poolSize], [200, 64, 64]);
  });

  it('while a value set outside the range is refused, not clamped', () => {
    refuses({ CHROMIUM_POOL_SIZE: '65' }, 'CHROMIUM_POOL_SIZE');
    refuses({ LIBREOFFICE_POOL_SIZE: '0' }, 'LIBREOFFICE_POOL_SIZE');
  });

  it('TOOL_CPU_SECONDS is MAX_TIME_SECONDS × cores, at most a year', () => {
    const cores = Math.max(1, availableParallelism());
    assert.equal(load({ MAX_TIME_SECONDS: '100' }).sandbox.cpuSeconds, 100 * cores);
    assert.equal(load({ MAX_TIME_SECONDS: String(7 * 86400) }).sandbox.cpuSeconds, Math.min(365 * 86400, 7 * 86400 * cores));
    assert.equal(load({ MAX_TIME_SECONDS: '100', TOOL_CPU_SECONDS: '5' }).sandbox.cpuSeconds, 5);
  });

  it('TEMP_DIR is $DATA_DIR/tmp, relative paths resolved against the working directory', () => {
    assert.equal(load({ DATA_DIR: 'files' }).worker.tempDir, '/srv/files/tmp');
    assert.equal(load({ DATA_DIR: '/data', TEMP_DIR: 'scratch' }).worker.tempDir, '/srv/scratch');
  });

  it('GHOSTSCRIPT_PATH, declared once, reaches the PDF and the vector engine', () => {
    const config = load({ GHOSTSCRIPT_PATH: '/opt/gs' });
    assert.deepEqual([config.pdf.ghostscript, config.vector.ghostscript], ['/opt/gs', '/opt/gs']);
  });
});

describe('config: units', () => {
  it('converts *_MB to bytes and *_SECONDS to ms where the Config says so', () => {
    const config = load({ MAX_BODY_MB: '3', CALLBACK_TIMEOUT_SECONDS: '4', CALLBACK_DELAY_MS: '250', MAX_SIZE_MB: '5' });
    assert.equal(config.server.maxBodyBytes, 3 * 1024 * 1024);
    assert.equal(config.notifications.callbackTimeoutMs, 4000);
    assert.equal(config.notifications.callbackDelayMs, 250, 'already in ms');
    assert.equal(config.account.maxsizeMb, 5, 'kept in MiB: it is reported as maxsize');
  });
});

describe('config: frozen', () => {
  const config = load({ API_KEYS: 'good-key-123', LANG: 'C.UTF-8', STORAGE_URL: 's3://bucket', STORAGE_S3_ACCESS_KEY_ID: 'id', STORAGE_S3_SECRET_ACCESS_KEY: 'secret' });

  it('all the way down', () => {
    const parts: unknown[] = [config, config.server, config.apiKeys, config.sandbox.locale, config.storage.fileStore, config.storage.drives];
    if (config.storage.fileStore.kind === 's3') parts.push(config.storage.fileStore.credentials);
    for (const part of parts) assert.ok(Object.isFrozen(part), JSON.stringify(part));
  });

  it('so writing to it throws', () => {
    assert.throws(() => {
      (config.server as { port: number }).port = 1;
    }, TypeError);
    assert.throws(() => (config.apiKeys as string[]).push('another-key'), TypeError);
  });

  it('while every load builds a config of its own', () => {
    assert.equal(load({ PORT: '1' }).server.port, 1);
    assert.equal(load().server.port, 8080);
  });
});

describe('config: secret settings', () => {
  /** Every declared setting, by variable name. */
  const settings = Object.values(SECTIONS).flatMap((section) => Object.values(section.settings) as Array<{ name: string; secret?: boolean }>);
  // Names that look like credentials but are not: numbers of the failed-key throttle, the path of
  // the keys file (the file is the secret; KEYS_FILE_FILE would be absurd) and a public endpoint.
  const NOT_SECRET = new Set(['KEY_FAILURE_LIMIT', 'KEY_FAILURE_WINDOW_SECONDS', 'KEYS_FILE', 'GOOGLEDRIVE_TOKEN_URL']);
  // Credentials whose names do not say so: URLs that may carry a password, and the OAuth client id
  // that goes with DROPBOX_APP_KEY's counterpart.
  const SECRET_BY_CONTENT = ['REDIS_URL', 'SMTP_URL', 'GOOGLEDRIVE_CLIENT_ID'];

  it('marks every setting named like a key, secret, token or password (minus the listed exceptions)', () => {
    const named = settings.filter((s) => /KEY|SECRET|TOKEN|PASSWORD/.test(s.name) && !NOT_SECRET.has(s.name));
    assert.ok(named.length >= 12, `found ${named.length}`);
    for (const setting of named) assert.equal(setting.secret, true, `${setting.name} is marked secret`);
    for (const name of SECRET_BY_CONTENT) assert.equal(settings.find((s) => s.name === name)?.secret, true, name);
    for (const name of NOT_SECRET) assert.ok(settings.some((s) => s.name === name && s.secret !== true), `${name} exists and is not secret`);
  });

  it('shows NAME (or NAME_FILE) in the configuration table (docs/configuration.md)', () => {
    const table = renderConfigTable();
    for (const name of ['API_KEYS', 'METRICS_KEY', 'STORAGE_S3_SECRET_ACCESS_KEY', 'GOOGLEDRIVE_CLIENT_SECRET']) assert.ok(table.includes(`| \`${name}\` (or \`${name}_FILE\`) |`), name);
    assert.ok(!table.includes('PORT_FILE'), 'only secrets have a file variant');
  });

  describe('from files', () => {
    let dir: string;
    const file = async (name: string, text: string): Promise<string> => {
      const at = path.join(dir, name);
      await writeFile(at, text);
      return at;
    };
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'oc-secret-files-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads NAME_FILE, without its trailing newline, relative paths from the working directory', async () => {
      await file('keys', 'file-key-0001,file-key-0002\n');
      await file('metrics', 'metrics-key-from-a-file-0123\r\n');
      const config = loadConfig({ API_KEYS_FILE: 'keys', METRICS_KEY_FILE: path.join(dir, 'metrics') }, dir);
      assert.deepEqual(config.apiKeys, ['file-key-0001', 'file-key-0002']);
      assert.equal(config.metricsKey, 'metrics-key-from-a-file-0123');
      await file('s3-secret', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n');
      const store = loadConfig({ STORAGE_URL: 's3://bucket', STORAGE_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE', STORAGE_S3_SECRET_ACCESS_KEY_FILE: 's3-secret' }, dir).storage.fileStore;
      assert.equal(store.kind === 's3' ? store.credentials?.secretAccessKey : undefined, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    });

    it('refuses NAME and NAME_FILE together, naming both', async () => {
      const keys = await file('both', 'file-key-0001\n');
      assert.throws(() => loadConfig({ API_KEYS: 'env-key-0001', API_KEYS_FILE: keys }, dir), (e: unknown) => e instanceof ConfigError && e.variable === 'API_KEYS_FILE' && /API_KEYS_FILE and API_KEYS are both set/.test(e.message));
    });

    it('refuses a missing, unreadable, empty or oversized file, naming NAME_FILE', async () => {
      const empty = await file('empty', '\n');
      const huge = await file('huge', 'x'.repeat(100 * 1024));
      const locked = await file('locked', 'metrics-key-from-a-file-0123');
      await chmod(locked, 0o000);
      const cases: Array<[string, RegExp]> = [[path.join(dir, 'missing'), /cannot be read \(ENOENT\)/], [empty, /is empty/], [huge, /larger than 64 KiB/], [dir, /not a regular file/]];
      // root reads any file whatever its mode: the unreadable case only holds for other users.
      if (process.getuid?.() !== 0) cases.push([locked, /cannot be read \(EACCES\)/]);
      for (const [at, problem] of cases) {
        assert.throws(() => loadConfig({ METRICS_KEY_FILE: at }, dir), (e: unknown) => e instanceof ConfigError && e.variable === 'METRICS_KEY_FILE' && problem.test(e.message), at);
      }
    });

    it('names the file when its value is bad, and never repeats a secret value in an error', async () => {
      const short = await file('short', 'short\n');
      assert.throws(() => loadConfig({ METRICS_KEY_FILE: short }, dir), (e: unknown) => e instanceof ConfigError && e.variable === 'METRICS_KEY' && e.message.includes('(read from METRICS_KEY_FILE)') && !e.message.includes('short\n'));
      const password = 'hunter2-redis-password';
      for (const env of [{ REDIS_URL: `redis://:${password}@bad host:6379` }, { REDIS_URL_FILE: await file('redis', `redis://:${password}@bad host:6379\n`) }]) {
        assert.throws(() => loadConfig(env, dir), (e: unknown) => e instanceof ConfigError && e.variable === 'REDIS_URL' && !e.message.includes(password), JSON.stringify(Object.keys(env)));
      }
    });
  });
});
