// docs/configuration.md's table is the one the declaration generates, every variable the
// loader reads is declared and documented, and none is declared twice.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { renderConfigTable, tableInReadme } from '../../src/config/docs.js';
import { loadConfig } from '../../src/config/index.js';
import type { SettingDoc, SettingMap } from '../../src/config/setting.js';
import { SECTIONS } from '../../src/config/settings.js';

const sections: readonly { readonly settings: SettingMap }[] = Object.values(SECTIONS);
const documented: readonly SettingDoc[] = sections.flatMap((section) => Object.values(section.settings).flatMap((setting) => setting.docs));
/** `LANG` / `LC_ALL` in one row are two variables, and so are `API_KEYS` (or `API_KEYS_FILE`). */
const variables = documented.flatMap((doc) => doc.variable.split(/ \/ | \(or /).map((name) => name.replace(/[`)]/g, '')));

describe('config: the table in docs/configuration.md', () => {
  it('is what `npm run docs:config` generates from the declaration', async () => {
    const page = await readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const committed = tableInReadme(page);
    assert.ok(committed !== undefined, 'docs/configuration.md lacks the config-table markers');
    assert.equal(committed, renderConfigTable(), "docs/configuration.md's table differs from src/config: run `npm run docs:config` and commit docs/configuration.md");
  });

  it('gives every row a type, a default and a meaning', () => {
    for (const doc of documented) assert.ok(doc.type !== '' && doc.default !== '' && doc.meaning !== '', doc.variable);
  });
});

describe('config: declaration', () => {
  it('declares each variable once', () => {
    const twice = variables.filter((name, i) => variables.indexOf(name) !== i);
    assert.deepEqual(twice, []);
  });

  it('documents every variable loadConfig reads', () => {
    const read = new Set<string>();
    const env = new Proxy<Record<string, string>>({}, { get: (_target, name) => (typeof name === 'string' ? (read.add(name), undefined) : undefined) });
    loadConfig(env, '/srv');
    const undocumented = [...read].filter((name) => !variables.includes(name));
    assert.deepEqual(undocumented, []);
    assert.ok(read.has('WORKER_CONCURRENCY') && read.has('DROPBOX_REFRESH_TOKEN'), 'the proxy saw the reads');
  });
});
