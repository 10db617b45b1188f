// The archive formats of issue 18 through the API with the real tools, for what the format matrix
// does not prove: extracted names and bytes of archives made by other tools (cab, iso, deb, rpm,
// compressed tars), one-file formats both ways (one input only, the name kept), compression_level,
// files that are not the declared format, and the extraction safety of every new reader (slip,
// links, bombs, an mtree disguised as an ISO), plus the hint when a tool is missing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ARCHIVES_EXTRA_PART, ARCHIVES_EXTRA_SAMPLES } from '../formats/parts/archives-extra.js';
import { ArchiveApi, HOSTILE_TARS_PY } from '../helpers/archive-api.js';
import { python, run } from '../helpers/archives.js';
import { auth, postJson } from '../helpers/http.js';
import { testContext, testSandbox } from '../helpers/sandbox.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';
import { createArchiveEngine } from '../../workers/converters/archive/index.js';
import type { Format } from '../../src/core/catalog/index.js';

const LIMITS = { ARCHIVE_MAX_ENTRIES: '50', ARCHIVE_MAX_TOTAL_MB: '8', ARCHIVE_MAX_RATIO: '50' };
const NOTES = 'Notes packed by a real tool for the format matrix.\n';

describe('the archive formats of issue 18 through the API', () => {
  let server: TestServer;
  let dir: string;
  const token = randomUUID();
  const sentinel = `/tmp/oc-slip-${token}.txt`;

  let api: ArchiveApi;
  const sample = async (format: Format): Promise<string> => {
    const maker = ARCHIVES_EXTRA_SAMPLES[format];
    assert.ok(maker !== undefined, format);
    return maker(await mkdtemp(path.join(dir, `sample-${format.replace('.', '-')}-`)));
  };

  before(async () => {
    await requireTools([...(ARCHIVES_EXTRA_PART.tools ?? []), 'python3']);
    server = await startTestServer({ env: LIMITS });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-archives-extra-'));
    api = new ArchiveApi(server, dir, { sentinels: [sentinel], names: /(^|\/)(ok\.txt|zeros\.bin|random\.bin)$|oc-slip-/ });
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  describe('extracts what other tools made: names flattened, bytes kept', () => {
    const tree = new Map([
      ['notes.txt', Buffer.from(NOTES)],
      ['sub_data.bin', Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7) % 256))],
    ]);
    for (const format of ['tar.zst', 'tar.lz', 'tar.lz4', 'cab', 'iso'] as const) {
      it(`${format} (made by ${format === 'cab' ? 'gcab' : format === 'iso' ? 'genisoimage' : 'GNU tar'})`, async () => {
        const files = await api.extract(await sample(format), format);
        assert.deepEqual([...files.keys()].sort(), [...tree.keys()].sort());
        for (const [name, data] of tree) assert.ok(files.get(name)?.equals(data), `${format}: ${name}`);
      });
    }
    for (const format of ['deb', 'rpm'] as const) {
      it(`${format}: the package's installed files, not its metadata`, async () => {
        const files = await api.extract(await sample(format), format);
        assert.deepEqual([...files.keys()], ['usr_share_sample_notes.txt']);
        assert.equal(files.get('usr_share_sample_notes.txt')?.toString('utf8').trimEnd(), NOTES.trimEnd());
      });
    }
  });

  describe('one-file formats', () => {
    for (const format of ['gz', 'bz2', 'xz', 'zst', 'lz', 'lz4'] as const) {
      it(`${format}: one file compressed keeps its name (notes.md.${format}), and extracts to notes.md`, async () => {
        const data = Buffer.from('# notes\n'.repeat(300));
        const packed = await api.download(await api.archive(format, new Map([['notes.md', data]])));
        assert.equal(path.basename(packed), `notes.md.${format}`);
        assert.ok((await stat(packed)).size < data.length, 'compressed');
        const files = await api.extract(packed, format);
        assert.deepEqual([...files.keys()], ['notes.md']);
        assert.ok(files.get('notes.md')?.equals(data));
      });
    }

    it('refuses several files with a 422 that names the tar to use', async () => {
      const status = await api.archive('zst', new Map([['a.txt', Buffer.from('a')], ['b.txt', Buffer.from('b')]]));
      assert.equal(status.body['step'], 'error', JSON.stringify(status.body));
      assert.equal(status.status, 422);
      assert.match(String(status.body['message']), /A zst file holds exactly one compressed file, and 2 were given.*outputformat=tar\.zst/);
    });

    it('compression_level reaches the compressor (9 is smaller than 1), and the filename asked for names the output', async () => {
      // 200 KB of words from a small vocabulary: what levels 1 and 9 compress differently.
      const words = ['archive', 'level', 'zstd', 'lzip', 'gzip', 'entry', 'file', 'stream', 'block', 'window'];
      let seed = 7;
      const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
      const data = Buffer.from(Array.from({ length: 30_000 }, () => words[next() % words.length]).join(' '));
      for (const format of ['gz', 'zst', 'tar.zst', 'tar.lz4'] as const) {
        const fast = (await stat(await api.download(await api.archive(format, new Map([['log.txt', data]]), { compression_level: 1 })))).size;
        const small = (await stat(await api.download(await api.archive(format, new Map([['log.txt', data]]), { compression_level: 9 })))).size;
        assert.ok(small < fast, `${format}: level 9 (${small}) smaller than level 1 (${fast})`);
      }
      const url = await api.createProcess({ mode: 'archive', inputformat: '*', outputformat: 'gz' });
      const named = await postJson(url, { mode: 'archive', outputformat: 'gz', input: 'base64', files: [{ file: 'YQ==', filename: 'a.txt' }], filename: 'backup', wait: true });
      assert.equal((named.body['output'] as { filename?: string }).filename, 'backup.gz');
      const bad = await postJson(await api.createProcess({ mode: 'archive', outputformat: 'gz' }), { mode: 'archive', outputformat: 'gz', input: 'base64', files: [{ file: 'YQ==', filename: 'a.txt' }], converteroptions: { compression_level: 0 } });
      assert.equal(bad.status, 400);
      assert.match(String(bad.body['error']), /compression_level = "0".*1 to 9/);
    });

    it('mode=extract of deb, rpm and cab is listed, mode=archive of them is a 400 (iso is written since)', async () => {
      for (const format of ['deb', 'rpm', 'cab']) {
        const reply = await postJson(`${server.baseUrl}/process`, { mode: 'archive', inputformat: '*', outputformat: format }, auth());
        assert.equal(reply.status, 400, format);
        assert.match(String(reply.body['hint']), new RegExp(`mode=archive writes .*, not ${format}`));
      }
    });
  });

  describe('a file that is not the declared format is a 422 saying so, before any tool reads it', () => {
    it('text named cab, iso, deb, rpm, tar.zst, zst or lz4', async () => {
      const text = path.join(dir, 'plain.txt');
      await writeFile(text, 'just text, no archive\n'.repeat(2000));
      for (const [format, kind] of [['cab', 'archive'], ['iso', 'archive'], ['deb', 'archive'], ['rpm', 'archive'], ['tar.zst', 'archive'], ['zst', 'file'], ['lz4', 'file']] as const) {
        await api.refused(text, format, new RegExp(`not a ${format.replace('.', '\\.')} (${kind}|file) \\(its first bytes`));
      }
    });

    it('an ar archive that is no Debian package, a gzip file named xz, a cut-off gz', async () => {
      await writeFile(path.join(dir, 'lib.a'), '!<arch>\nfoo.o/          0           0     0     644     4         `\nabcd');
      await api.refused(path.join(dir, 'lib.a'), 'deb', /not a deb (archive|file)/);
      await writeFile(path.join(dir, 'notes.txt'), NOTES.repeat(500));
      await run(dir, 'gzip', ['-k', '-n', 'notes.txt']);
      await api.refused(path.join(dir, 'notes.txt.gz'), 'xz', /not a xz file/);
      const whole = await readFile(path.join(dir, 'notes.txt.gz'));
      await writeFile(path.join(dir, 'cut.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
      await api.refused(path.join(dir, 'cut.gz'), 'gz', /could not be read \(gzip: .*unexpected end of file/);
    });
  });

  describe('every new reader keeps the extraction safety', () => {
    before(async () => {
      await python(
        dir,
        `${HOSTILE_TARS_PY(token)}tar('bomb.tar', [('zeros.bin', tarfile.REGTYPE, '', bytes(5 * 1024 * 1024))])
open('zeros.bin', 'wb').write(bytes(5 * 1024 * 1024))
open('random.bin', 'wb').write(__import__('os').urandom(9 * 1024 * 1024))
`,
      );
    });

    it('"../" entries in tar.zst, tar.lz and tar.lz4 (zip slip)', async () => {
      await run(dir, 'zstd', ['-q', '-f', 'slip.tar', '-o', 'slip.tar.zst']);
      await run(dir, 'lzip', ['-k', '-f', 'slip.tar']);
      await run(dir, 'lz4', ['-q', '-f', 'slip.tar', 'slip.tar.lz4']);
      for (const format of ['tar.zst', 'tar.lz', 'tar.lz4']) await api.refused(path.join(dir, `slip.${format}`), format, /has "\.\." in its path/);
    });

    it('a symbolic link in a tar.zst, an iso (Rock Ridge) and an rpm', async () => {
      await run(dir, 'zstd', ['-q', '-f', 'symlink.tar', '-o', 'symlink.tar.zst']);
      await api.refused(path.join(dir, 'symlink.tar.zst'), 'tar.zst', /is a symbolic link to "\/etc\/passwd"/);
      const isoTree = path.join(dir, 'iso-tree');
      await mkdir(isoTree);
      await writeFile(path.join(isoTree, 'ok.txt'), 'fine');
      await symlink('/etc/passwd', path.join(isoTree, 'passwd'));
      await run(dir, 'genisoimage', ['-quiet', '-R', '-o', 'symlink.iso', isoTree]);
      await api.refused(path.join(dir, 'symlink.iso'), 'iso', /is a symbolic link/);
      await writeFile(
        path.join(dir, 'link.spec'),
        'Name: link\nVersion: 1\nRelease: 1\nSummary: s\nLicense: MIT\nBuildArch: noarch\n%description\ns\n%install\nmkdir -p %{buildroot}/opt/l\necho fine > %{buildroot}/opt/l/ok.txt\nln -s /etc/passwd %{buildroot}/opt/l/passwd\n%files\n/opt/l/ok.txt\n/opt/l/passwd\n',
      );
      await run(dir, 'rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${path.join(dir, 'rpmtop')}`, '--define', `_tmppath ${path.join(dir, 'rpmtmp')}`, '--define', '_build_id_links none', 'link.spec']);
      await api.refused(path.join(dir, 'rpmtop', 'RPMS', 'noarch', 'link-1-1.noarch.rpm'), 'rpm', /is a symbolic link to "\/etc\/passwd"/);
    });

    it('a .deb whose data has a "../" entry (dpkg-deb hands the tar over as it is)', async () => {
      await python(
        dir,
        `
import io, tarfile, gzip
def targz(entries):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode='w') as t:
        for name, data in entries:
            info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue())
def member(name, data):
    header = ('%-16s%-12s%-6s%-6s%-8s%-10s' % (name, '0', '0', '0', '100644', len(data))).encode() + b'\`\\n'
    return header + data + (b'\\n' if len(data) % 2 else b'')
control = targz([('./control', b'Package: evil\\nVersion: 1\\nArchitecture: all\\nMaintainer: e <e@example.com>\\nDescription: e\\n')])
data = targz([('./ok.txt', b'fine'), ('../../../../../../tmp/oc-slip-${token}.txt', b'escaped')])
open('slip.deb', 'wb').write(b'!<arch>\\n' + member('debian-binary', b'2.0\\n') + member('control.tar.gz', control) + member('data.tar.gz', data))
`,
      );
      await api.refused(path.join(dir, 'slip.deb'), 'deb', /has "\.\." in its path/);
    });

    it('bombs: 5 MB of zeros as zst and tar.lz (past 50 times their size), 9 MB of random bytes as gz (past 8 MB)', async () => {
      await run(dir, 'zstd', ['-q', '-f', 'zeros.bin', '-o', 'zeros.bin.zst']);
      await run(dir, 'lzip', ['-k', '-f', 'bomb.tar']);
      await run(dir, 'gzip', ['-k', '-f', '-n', 'random.bin']);
      const started = Date.now();
      await api.refused(path.join(dir, 'zeros.bin.zst'), 'zst', /limit ARCHIVE_MAX_RATIO = 50/);
      await api.refused(path.join(dir, 'bomb.tar.lz'), 'tar.lz', /limit ARCHIVE_MAX_RATIO = 50/);
      await api.refused(path.join(dir, 'random.bin.gz'), 'gz', /limit ARCHIVE_MAX_TOTAL_MB = 8/);
      assert.ok(Date.now() - started < 30_000, 'refused as the bytes arrive, not after writing them all');
    });

    it('an ISO whose system area is mtree text naming a file: refused before bsdtar sees it', async () => {
      const secret = path.join(dir, 'secret.txt');
      await writeFile(secret, `secret ${token}\n`);
      const isoTree = path.join(dir, 'plain-iso');
      await mkdir(isoTree);
      await writeFile(path.join(isoTree, 'real.txt'), 'the real file');
      await run(dir, 'genisoimage', ['-quiet', '-R', '-o', 'mtree.iso', isoTree]);
      const iso = await readFile(path.join(dir, 'mtree.iso'));
      Buffer.from(`#mtree\n./secret type=file contents=${secret}\n`).copy(iso, 0);
      await writeFile(path.join(dir, 'mtree.iso'), iso);
      await api.refused(path.join(dir, 'mtree.iso'), 'iso', /not a iso archive \(its first bytes do not match\)/);
    });
  });
});

describe('the archive engine without its tools', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-archives-extra-tools-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('says which tool could not run and that it may not be installed', async () => {
    const engine = createArchiveEngine({ maxEntries: 10, maxTotalBytes: 1024 * 1024, maxRatio: 100, bsdtar: '/nonexistent/bsdtar' });
    const context = testContext(await testSandbox(dir), dir);
    const maker = ARCHIVES_EXTRA_SAMPLES.cab;
    assert.ok(maker !== undefined);
    const cab = await maker(await mkdtemp(path.join(dir, 'cab-')));
    const outputDir = await mkdtemp(path.join(dir, 'out-'));
    await assert.rejects(engine.extract({ inputPath: cab, inputFormat: 'cab', options: {}, outputDir }, context), (error: Error) => {
      assert.match(error.message, /\/nonexistent\/bsdtar/);
      assert.match(error.message, /No such file|not found|installed/i);
      return true;
    });
    assert.deepEqual(await readdir(outputDir), []);
  });
});
