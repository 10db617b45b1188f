// mode=extract refuses every class of malicious archive with a 422 that says what was refused
// and why: zip slip, absolute paths, symbolic and hard links, devices and FIFOs, too many
// entries, too many bytes, ratio bombs, text "archives" that make libarchive read server files,
// encrypted archives. Nothing is written outside the output folder, and nothing of a refused
// archive is returned or left behind.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ArchiveApi, HOSTILE_TARS_PY } from '../helpers/archive-api.js';
import { python, rar4, requireArchiveTools, run } from '../helpers/archives.js';
import { convertFile } from '../helpers/convert.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createArchiveEngine } from '../../workers/converters/archive/index.js';
import type { ConverterContext } from '../../workers/converters/types.js';
import { testContext, testSandbox } from '../helpers/sandbox.js';

const LIMITS = { ARCHIVE_MAX_ENTRIES: '50', ARCHIVE_MAX_TOTAL_MB: '8', ARCHIVE_MAX_RATIO: '50' };

describe('mode=extract refuses malicious archives', () => {
  let server: TestServer;
  let dir: string;
  const token = randomUUID();
  /** Where an escaping entry would land: checked never to exist. */
  const sentinels = [`/tmp/oc-slip-${token}.txt`, `/tmp/oc-abs-${token}.txt`];
  let secret: string;

  let api: ArchiveApi;

  before(async () => {
    await requireArchiveTools();
    server = await startTestServer({ env: LIMITS });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-archive-safety-'));
    api = new ArchiveApi(server, dir, { sentinels, names: /(^|\/)ok\.txt$|oc-(slip|abs)-/ });
    secret = path.join(dir, 'secret.txt');
    await writeFile(secret, `secret ${token}\n`);
    await python(
      dir,
      `${HOSTILE_TARS_PY(token)}import zipfile
tar('abs.tar', [ok, ('/tmp/oc-abs-${token}.txt', tarfile.REGTYPE, '', b'escaped')])
tar('hardlink.tar', [ok, ('hard', tarfile.LNKTYPE, 'ok.txt')])
tar('fifo.tar', [ok, ('pipe', tarfile.FIFOTYPE)])
tar('device.tar', [ok, ('null', tarfile.CHRTYPE)])
tar('big.tar', [('big.bin', tarfile.REGTYPE, '', bytes(range(256)) * (9 * 4096))])
tar('bomb.tar.gz', [('zeros.bin', tarfile.REGTYPE, '', bytes(50 * 1024 * 1024))], 'w:gz')
def zipped(name, entries):
    with zipfile.ZipFile(name, 'w', zipfile.ZIP_DEFLATED) as z:
        for entry_name, data, attr in entries:
            info = zipfile.ZipInfo(entry_name); info.compress_type = zipfile.ZIP_DEFLATED; info.external_attr = attr << 16
            z.writestr(info, data)
zipped('slip.zip', [('ok.txt', b'fine', 0o100644), ('../../../../../../../../../tmp/oc-slip-${token}.txt', b'escaped', 0o100644)])
zipped('backslash.zip', [('ok.txt', b'fine', 0o100644), ('..\\\\..\\\\..\\\\..\\\\..\\\\..\\\\tmp\\\\oc-slip-${token}.txt', b'escaped', 0o100644)])
zipped('abs.zip', [('ok.txt', b'fine', 0o100644), ('/tmp/oc-abs-${token}.txt', b'escaped', 0o100644)])
zipped('symlink.zip', [('ok.txt', b'fine', 0o100644), ('link', b'/etc/passwd', 0o120777)])
zipped('many.zip', [('f%02d.txt' % i, b'x', 0o100644) for i in range(51)])
zipped('bomb.zip', [('zeros.bin', bytes(50 * 1024 * 1024), 0o100644)])
`,
    );
    await writeFile(path.join(dir, 'slip.rar'), rar4([{ name: 'ok.txt', data: Buffer.from('fine') }, { name: `../../../../../../../../tmp/oc-slip-${token}.txt`, data: Buffer.from('escaped') }]));
    // mtree text makes libarchive read the files it names from the server's disk.
    const mtree = Buffer.from(`#mtree\nok.txt type=file contents=${secret}\n`);
    await writeFile(path.join(dir, 'mtree.zip'), mtree);
    await writeFile(path.join(dir, 'mtree.tar.gz'), gzipSync(mtree));
    await writeFile(path.join(dir, 'plain.txt'), 'secret-free\n');
    await run(dir, 'zip', ['-q', '-P', 'password', 'encrypted.zip', 'plain.txt']);
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('zip slip: "../" entries in zip, tar and rar, and "..\\" in zip', async () => {
    for (const file of ['slip.zip', 'slip.tar', 'slip.rar', 'backslash.zip']) {
      await api.refused(path.join(dir, file), path.extname(file).slice(1), /entry ".*oc-slip-.*" has "\.\." in its path, which would place it outside the output folder/);
    }
  });

  it('absolute paths in tar and zip', async () => {
    await api.refused(path.join(dir, 'abs.tar'), 'tar', /entry "\/tmp\/oc-abs-.*" has an absolute path/);
    await api.refused(path.join(dir, 'abs.zip'), 'zip', /entry "\/tmp\/oc-abs-.*" has an absolute path/);
  });

  it('symbolic links in tar and zip, hard links, FIFOs and device files in tar', async () => {
    await api.refused(path.join(dir, 'symlink.tar'), 'tar', /entry "link" is a symbolic link to "\/etc\/passwd"\. Only regular files and folders are extracted/);
    await api.refused(path.join(dir, 'symlink.zip'), 'zip', /entry "link" is a symbolic link/);
    await api.refused(path.join(dir, 'hardlink.tar'), 'tar', /entry "hard" is a hard link to "ok\.txt"/);
    await api.refused(path.join(dir, 'fifo.tar'), 'tar', /entry "pipe" is a FIFO/);
    await api.refused(path.join(dir, 'device.tar'), 'tar', /entry "null" is a device file/);
  });

  it('more entries than ARCHIVE_MAX_ENTRIES', async () => {
    await api.refused(path.join(dir, 'many.zip'), 'zip', /more than 50 entries \(limit ARCHIVE_MAX_ENTRIES = 50\)/);
  });

  it('more bytes than ARCHIVE_MAX_TOTAL_MB', async () => {
    await api.refused(path.join(dir, 'big.tar'), 'tar', /files add up to more than 8 MB \(limit ARCHIVE_MAX_TOTAL_MB = 8\)/);
  });

  it('ratio bombs: 50 MB of zeros in a zip and in a tar.gz, stopped while reading', async () => {
    const started = Date.now();
    await api.refused(path.join(dir, 'bomb.zip'), 'zip', /expands to more than 50 times its own size .* \(limit ARCHIVE_MAX_RATIO = 50\), as extraction bombs do/);
    await api.refused(path.join(dir, 'bomb.tar.gz'), 'tar.gz', /limit ARCHIVE_MAX_RATIO = 50/);
    assert.ok(Date.now() - started < 20_000);
  });

  it('mtree text named zip or tar.gz (it would make libarchive read server files): refused, the file not read', async () => {
    await api.refused(path.join(dir, 'mtree.zip'), 'zip', /"mtree\.zip" is not a zip file/);
    const result = await convertFile(server, path.join(dir, 'mtree.tar.gz'), { mode: 'extract', inputformat: 'tar.gz' }, dir);
    assert.equal(result.status.status, 422);
    assert.match(String(result.status.body['message']), /could not be read/);
    assert.doesNotMatch(JSON.stringify(result.status.body), new RegExp(token));
  });

  it('encrypted archives, with a message that says so', async () => {
    await api.refused(path.join(dir, 'encrypted.zip'), 'zip', /encrypted \(password-protected\); this server does not extract encrypted archives/);
  });
});

describe('the archive engine leaves nothing of a refused archive', () => {
  let dir: string;
  let context: ConverterContext;
  before(async () => {
    await requireArchiveTools();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-archive-refusal-'));
    context = testContext(await testSandbox(dir), dir);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('refuses before writing: good entries first, the bad one last, and the output folder stays empty', async () => {
    const engine = createArchiveEngine({ maxEntries: 100, maxTotalBytes: 1024 * 1024, maxRatio: 100 });
    await python(
      dir,
      `
import io, tarfile
with tarfile.open('late.tar', 'w') as t:
    for i in range(30):
        info = tarfile.TarInfo('good%02d.txt' % i); info.size = 4; t.addfile(info, io.BytesIO(b'good'))
    info = tarfile.TarInfo('../escape.txt'); info.size = 4; t.addfile(info, io.BytesIO(b'evil'))
`,
    );
    const outputDir = path.join(dir, 'job', 'output');
    await run(dir, 'mkdir', ['-p', outputDir]);
    await assert.rejects(engine.extract({ inputPath: path.join(dir, 'late.tar'), inputFormat: 'tar', options: {}, outputDir }, context), /"\.\.\/escape\.txt" has "\.\."/);
    assert.deepEqual(await readdir(outputDir), []);
    assert.equal(existsSync(path.join(dir, 'job', 'escape.txt')), false);
    assert.deepEqual((await readdir(dir)).sort(), ['job', 'late.tar']);
  });

  it('a zip whose headers understate a size (20 MB of zeros declared as 100 bytes) never yields more than declared', async () => {
    const engine = createArchiveEngine({ maxEntries: 10, maxTotalBytes: 1024 * 1024 * 1024, maxRatio: 100_000 });
    await python(
      dir,
      `
import struct, zipfile
with zipfile.ZipFile('liar.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('zeros.bin', bytes(20 * 1024 * 1024))
b = bytearray(open('liar.zip', 'rb').read())
b[22:26] = struct.pack('<I', 100)
cd = b.rfind(b'PK\\x01\\x02')
b[cd + 24:cd + 28] = struct.pack('<I', 100)
open('liar.zip', 'wb').write(b)
`,
    );
    const outputDir = await mkdtemp(path.join(dir, 'out-'));
    const files = await engine.extract({ inputPath: path.join(dir, 'liar.zip'), inputFormat: 'zip', options: {}, outputDir }, context);
    assert.deepEqual(files.map((f) => f.name), ['zeros.bin']);
    assert.equal((await stat(path.join(outputDir, 'zeros.bin'))).size, 100);
  });

  it('a refused entry reached through the tool (zip) leaves the output folder empty too', async () => {
    const engine = createArchiveEngine({ maxEntries: 3, maxTotalBytes: 1024 * 1024, maxRatio: 100 });
    for (const name of ['a', 'b', 'c', 'd']) await writeFile(path.join(dir, `${name}.txt`), name);
    await run(dir, 'zip', ['-q', 'four.zip', 'a.txt', 'b.txt', 'c.txt', 'd.txt']);
    const outputDir = await mkdtemp(path.join(dir, 'out-'));
    await assert.rejects(engine.extract({ inputPath: path.join(dir, 'four.zip'), inputFormat: 'zip', options: {}, outputDir }, context), /more than 3 entries/);
    assert.deepEqual(await readdir(outputDir), []);
    assert.equal(await readFile(path.join(dir, 'a.txt'), 'utf8'), 'a');
  });
});
