// The archive formats of issue 18's second round through the API with the real tools, for what
// the format matrix does not prove: tar.lzma made by GNU tar extracted (names and bytes), lzma
// both ways, an iso packed here and read back, cpio and ar refused as inputs (libarchive's
// guessing would read an uuencoded mtree inside them), files that are not the declared format,
// and the extraction safety of the new readers (slip, links, bombs).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ARCHIVES_MORE_PART, ARCHIVES_MORE_SAMPLES } from '../formats/parts/archives-more.js';
import { ArchiveApi, HOSTILE_TARS_PY } from '../helpers/archive-api.js';
import { python, run } from '../helpers/archives.js';
import { postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';

const LIMITS = { ARCHIVE_MAX_ENTRIES: '50', ARCHIVE_MAX_TOTAL_MB: '8', ARCHIVE_MAX_RATIO: '50' };
const NOTES = 'Notes packed by a real tool for the format matrix.\n';

describe('tar.lzma, lzma, cpio, ar and iso through the API', () => {
  let server: TestServer;
  let dir: string;
  const token = randomUUID();
  const sentinel = `/tmp/oc-slip-${token}.txt`;

  let api: ArchiveApi;

  before(async () => {
    await requireTools([...(ARCHIVES_MORE_PART.tools ?? []), 'python3']);
    server = await startTestServer({ env: LIMITS });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-archives-more-'));
    api = new ArchiveApi(server, dir, { sentinels: [sentinel], names: /(^|\/)(ok\.txt|zeros\.bin)$|oc-slip-/ });
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('extracts a tar.lzma made by GNU tar: names and bytes kept', async () => {
    const maker = ARCHIVES_MORE_SAMPLES['tar.lzma'];
    assert.ok(maker !== undefined);
    const files = await api.extract(await maker(await mkdtemp(path.join(dir, 'sample-'))), 'tar.lzma');
    assert.deepEqual([...files.keys()].sort(), ['data.bin', 'notes.txt']);
    assert.equal(files.get('notes.txt')?.toString('utf8'), NOTES);
    assert.ok(files.get('data.bin')?.equals(Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7) % 256))));
  });

  it('lzma: one file compressed keeps its name, level 9 is smaller than 1, and extracts back', async () => {
    const words = ['archive', 'level', 'lzma', 'entry', 'file', 'stream', 'block', 'window'];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const data = Buffer.from(Array.from({ length: 30_000 }, () => words[next() % words.length]).join(' '));
    const packed = await api.download(await api.archive('lzma', new Map([['log.txt', data]]), { compression_level: 9 }));
    assert.equal(path.basename(packed), 'log.txt.lzma');
    const fast = (await stat(await api.download(await api.archive('lzma', new Map([['log.txt', data]]), { compression_level: 1 })))).size;
    assert.ok((await stat(packed)).size <= fast, `level 9 (${(await stat(packed)).size}) not larger than level 1 (${fast})`);
    const files = await api.extract(packed, 'lzma');
    assert.deepEqual([...files.keys()], ['log.txt']);
    assert.ok(files.get('log.txt')?.equals(data));
  });

  it('an iso packed here reads back through mode=extract with its long names', async () => {
    const files = new Map([
      ['a rather long file name for ISO level 1.txt', Buffer.from('long name\n')],
      ['data.bin', Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251))],
    ]);
    const iso = await api.download(await api.archive('iso', files));
    const back = await api.extract(iso, 'iso');
    assert.deepEqual([...back.keys()].sort(), [...files.keys()].sort());
    for (const [name, data] of files) assert.ok(back.get(name)?.equals(data), name);
  });

  it('cpio and ar are written, never read: mode=extract of them is refused, even of a real one', async () => {
    for (const format of ['cpio', 'ar']) {
      const packed = await api.download(await api.archive(format, new Map([['ok.txt', Buffer.from('fine')]])));
      const url = await api.createProcess({ mode: 'extract', inputformat: format });
      const reply = await postJson(url, { mode: 'extract', inputformat: format, input: 'base64', file: (await readFile(packed)).toString('base64'), filename: path.basename(packed), wait: true });
      assert.equal(reply.status, 400, `${format}: ${JSON.stringify(reply.body)}`);
      assert.match(String(reply.body['hint']), new RegExp(`mode=extract reads .*, not ${format}\\.`));
    }
  });

  it('text, or an xz stream, named lzma or tar.lzma is a 422 saying so', async () => {
    await writeFile(path.join(dir, 'plain.txt'), 'just text, no archive\n'.repeat(200));
    await api.refused(path.join(dir, 'plain.txt'), 'lzma', /not a lzma file \(its first bytes/);
    await api.refused(path.join(dir, 'plain.txt'), 'tar.lzma', /not a tar\.lzma (file|archive) \(its first bytes/);
    await run(dir, 'xz', ['-k', '-f', 'plain.txt']);
    await api.refused(path.join(dir, 'plain.txt.xz'), 'lzma', /not a lzma file/);
  });

  it('tar.lzma keeps the extraction safety: "../" entries, symbolic links, bombs', async () => {
    await python(
      dir,
      `${HOSTILE_TARS_PY(token)}tar('bomb.tar', [('zeros.bin', tarfile.REGTYPE, '', bytes(5 * 1024 * 1024))])
open('zeros.bin', 'wb').write(bytes(5 * 1024 * 1024))
`,
    );
    for (const name of ['slip.tar', 'symlink.tar', 'bomb.tar', 'zeros.bin']) await run(dir, 'xz', ['-k', '-f', '--format=lzma', name]);
    await api.refused(path.join(dir, 'slip.tar.lzma'), 'tar.lzma', /has "\.\." in its path/);
    await api.refused(path.join(dir, 'symlink.tar.lzma'), 'tar.lzma', /is a symbolic link to "\/etc\/passwd"/);
    await api.refused(path.join(dir, 'bomb.tar.lzma'), 'tar.lzma', /limit ARCHIVE_MAX_RATIO = 50/);
    await api.refused(path.join(dir, 'zeros.bin.lzma'), 'lzma', /limit ARCHIVE_MAX_RATIO = 50/);
  });
});
