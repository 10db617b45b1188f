// mode=archive and mode=extract through the API with the real tools: a round trip through every
// archive format (packed from several inputs, extracted again: same names, same bytes), the
// extraction of archives made by tar, zip, 7zz and a hand-written RAR, compression_level, and
// the engine on its own.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rar4, requireArchiveTools, run } from '../helpers/archives.js';
import { convertFile } from '../helpers/convert.js';
import { auth, json, postJson, type JsonResponse } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { multipart } from '../helpers/wire.js';
import { createArchiveEngine } from '../../workers/converters/archive/index.js';
import type { ConverterContext } from '../../workers/converters/types.js';
import { testContext, testSandbox } from '../helpers/sandbox.js';

const FORMATS = ['zip', 'tar', 'tar.gz', 'tar.bz2', 'tar.xz', '7z'] as const;

/** Pseudo-random words from a small vocabulary: text on which higher compression levels win. */
function wordSalad(words: number): Buffer {
  const vocabulary = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega'.split(' ');
  let x = 1;
  let out = '';
  for (let i = 0; i < words; i++) {
    x = (x * 48271) % 2147483647;
    out += `${vocabulary[x % vocabulary.length] ?? ''}${x % 13 === 0 ? '\n' : ' '}`;
  }
  return Buffer.from(out);
}

/** Compressible text that still differs line by line. */
const text = (lines: number): Buffer => Buffer.from(Array.from({ length: lines }, (_, i) => `line ${i} of the notes, ${(i * 7919) % 1000}\n`).join(''));

describe('archives through the API', () => {
  let server: TestServer;
  let dir: string;
  const inputs = new Map<string, Buffer>();

  const createProcess = async (params: Record<string, unknown>): Promise<string> => {
    const created = await postJson(`${server.baseUrl}/process`, params, auth());
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return server.abs(String(created.body['url']));
  };
  const download = async (status: JsonResponse, to: string): Promise<string> => {
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const output = status.body['output'] as { url: string; filename: string };
    const response = await fetch(server.abs(output.url));
    assert.equal(response.status, 200);
    const file = path.join(to, output.filename);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    return file;
  };
  /** mode=archive of `files` (name → bytes) sent as base64 objects; the archive's local path. */
  const pack = async (format: string, files: ReadonlyMap<string, Buffer>, options: Record<string, unknown> = {}): Promise<string> => {
    const url = await createProcess({ mode: 'archive', outputformat: format });
    const list = [...files].map(([filename, data]) => ({ file: data.toString('base64'), filename }));
    const status = await postJson(url, { mode: 'archive', outputformat: format, input: 'base64', files: list, converteroptions: options, wait: true });
    return download(status, await mkdtemp(path.join(dir, 'packed-')));
  };
  /** mode=extract of an uploaded archive; the output names and bytes. */
  const extract = async (file: string, format: string): Promise<Map<string, Buffer>> => {
    const result = await convertFile(server, file, { mode: 'extract', inputformat: format }, await mkdtemp(path.join(dir, 'extracted-')));
    assert.equal(result.status.body['step'], 'finished', JSON.stringify(result.status.body));
    return new Map(await Promise.all(result.files.map(async (f) => [path.basename(f), await readFile(f)] as const)));
  };

  const locale = { LANG: process.env['LANG'], LC_ALL: process.env['LC_ALL'] };
  before(async () => {
    await requireArchiveTools();
    // As in a container without LANG: the engine must set a UTF-8 locale for non-ASCII names itself.
    process.env['LANG'] = 'C';
    delete process.env['LC_ALL'];
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-archives-'));
    inputs.set('notes 1.txt', text(2000));
    inputs.set('données.bin', randomBytes(50_000));
    inputs.set('-dash.md', Buffer.from('# starts with a dash\n'));
  });
  after(async () => {
    for (const [name, value] of Object.entries(locale)) if (value === undefined) delete process.env[name]; else process.env[name] = value;
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const format of FORMATS) {
    it(`packs several files into ${format} and extracts them again: same names, same bytes`, async () => {
      const archive = await pack(format, inputs);
      assert.ok(archive.endsWith(`.${format}`), archive);
      const files = await extract(archive, format);
      assert.deepEqual([...files.keys()].sort(), [...inputs.keys()].sort());
      for (const [name, data] of inputs) assert.ok(files.get(name)?.equals(data), `${format}: ${name}`);
    });
  }

  it('packs the file parts of one multipart start (zip), and the archive is a real zip', async () => {
    const url = await createProcess({ mode: 'archive', outputformat: 'zip' });
    const { body, contentType } = multipart([
      { name: 'mode', value: 'archive' },
      { name: 'outputformat', value: 'zip' },
      { name: 'wait', value: 'true' },
      { name: 'file', filename: 'a.txt', data: Buffer.from('alpha\n') },
      { name: 'file', filename: 'b.txt', data: Buffer.from('beta\n') },
    ]);
    const archive = await download(await json(url, { method: 'POST', headers: { 'content-type': contentType }, body }), dir);
    const out = await mkdtemp(path.join(dir, 'unzip-'));
    await run(out, 'unzip', ['-q', archive]);
    assert.deepEqual((await readdir(out)).sort(), ['a.txt', 'b.txt']);
    assert.equal(await readFile(path.join(out, 'b.txt'), 'utf8'), 'beta\n');
  });

  it('compression_level changes the size; a bad value is a 400 naming the option', async () => {
    const big = new Map([['notes.txt', wordSalad(100_000)]]);
    for (const format of ['zip', 'tar.gz', 'tar.bz2', 'tar.xz', '7z']) {
      const fast = (await stat(await pack(format, big, { compression_level: 1 }))).size;
      const small = (await stat(await pack(format, big, { compression_level: 9 }))).size;
      assert.ok(small < fast, `${format}: level 9 (${small}) smaller than level 1 (${fast})`);
    }
    const url = await createProcess({ mode: 'archive', outputformat: 'zip' });
    const bad = await postJson(url, { mode: 'archive', outputformat: 'zip', input: 'base64', files: [{ file: 'YQ==', filename: 'a.txt' }], converteroptions: { compression_level: 11 } });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body['error']), /compression_level = "11".*1 to 9/);
    const rar = await postJson(await createProcess({ mode: 'archive', outputformat: 'rar' }), { mode: 'archive', outputformat: 'rar', input: 'base64', files: [{ file: 'YQ==', filename: 'a.txt' }] });
    assert.equal(rar.status, 400);
    assert.match(String(rar.body['hint']), /mode=archive writes zip, tar, tar\.gz, tar\.bz2, tar\.xz, .*7z, .*not rar/);
  });

  describe('extracts archives made by the usual tools', () => {
    let tree: string;
    const expected = new Map<string, Buffer>();
    const sources: Array<[string, Buffer]> = [
      ['top.txt', Buffer.from('top\n')],
      ['docs/en/readme.txt', text(300)],
      ['docs/photo.raw', randomBytes(20_000)],
      ['docs/empty.txt', Buffer.alloc(0)],
      ['docs/ünïcødé.txt', Buffer.from('non-ASCII name\n')],
    ];
    before(async () => {
      tree = await mkdtemp(path.join(dir, 'tree-'));
      await mkdir(path.join(tree, 'docs', 'en'), { recursive: true });
      for (const [name, data] of sources) {
        await writeFile(path.join(tree, name), data);
        expected.set(name.replaceAll('/', '_'), data);
      }
    });
    const made: Record<string, [string, string[]]> = {
      zip: ['zip', ['-qr', 'ARCHIVE', 'top.txt', 'docs']],
      tar: ['tar', ['-cf', 'ARCHIVE', 'top.txt', 'docs']],
      'tar.gz': ['tar', ['-czf', 'ARCHIVE', 'top.txt', 'docs']],
      'tar.bz2': ['tar', ['-cjf', 'ARCHIVE', 'top.txt', 'docs']],
      'tar.xz': ['tar', ['-cJf', 'ARCHIVE', 'top.txt', 'docs']],
      '7z': ['7zz', ['a', '-bd', 'ARCHIVE', 'top.txt', 'docs']],
    };
    for (const [format, [tool, args]] of Object.entries(made)) {
      it(`${format} made by ${tool}: folders flattened into the names (docs/en/readme.txt → docs_en_readme.txt)`, async () => {
        const archive = path.join(dir, `made-by-${tool}.${format}`);
        await run(tree, tool, args.map((a) => (a === 'ARCHIVE' ? archive : a)));
        const files = await extract(archive, format);
        assert.deepEqual([...files.keys()].sort(), [...expected.keys()].sort());
        for (const [name, data] of expected) assert.ok(files.get(name)?.equals(data), `${format}: ${name}`);
      });
    }

    it('rar (RAR 4, written by hand: Debian has no free RAR writer)', async () => {
      const archive = path.join(dir, 'hand.rar');
      await writeFile(archive, rar4(sources.map(([name, data]) => ({ name, data }))));
      const files = await extract(archive, 'rar');
      assert.deepEqual([...files.keys()].sort(), [...expected.keys()].sort());
      for (const [name, data] of expected) assert.ok(files.get(name)?.equals(data), `rar: ${name}`);
    });
  });

  it('a file that is not the archive named by inputformat is a 422 saying so', async () => {
    const fake = path.join(dir, 'fake.zip');
    await writeFile(fake, 'just text');
    const result = await convertFile(server, fake, { mode: 'extract', inputformat: 'zip' }, dir);
    assert.equal(result.status.body['step'], 'error');
    assert.match(String(result.status.body['message']), /"fake\.zip" is not a zip file .*Check that the file really is zip/);
  });
});

describe('the archive engine on its own', () => {
  let dir: string;
  let context: ConverterContext;
  const engine = createArchiveEngine({ maxEntries: 10, maxTotalBytes: 1024 * 1024, maxRatio: 100 });
  before(async () => {
    await requireArchiveTools();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-archive-engine-'));
    context = testContext(await testSandbox(dir), dir);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('packs the same file given twice as two regular entries (never a hard link), and the staging is removed', async () => {
    const input = path.join(dir, 'same.txt');
    await writeFile(input, 'same\n');
    const outputDir = await mkdtemp(path.join(dir, 'out-'));
    const inputs = [
      { path: input, name: 'one.txt', format: 'txt' as const },
      { path: input, name: 'two.txt', format: 'txt' as const },
    ];
    const archive = await engine.archive({ inputs, outputFormat: 'tar', options: { compression_level: null }, outputDir, outputName: 'pair' }, context);
    assert.equal(archive.name, 'pair.tar');
    const extracted = await mkdtemp(path.join(dir, 'x-'));
    const files = await engine.extract({ inputPath: archive.path, inputFormat: 'tar', options: {}, outputDir: extracted }, context);
    assert.deepEqual(files.map((f) => f.name), ['one.txt', 'two.txt']);
    assert.equal(await readFile(path.join(extracted, 'two.txt'), 'utf8'), 'same\n');
    assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('archive-')), [], 'staging folder and list removed');
  });

  it('stops at once when the job is cancelled', async () => {
    const input = path.join(dir, 'big.bin');
    await writeFile(input, randomBytes(8 * 1024 * 1024));
    const outputDir = await mkdtemp(path.join(dir, 'out-'));
    const controller = new AbortController();
    const started = engine.archive({ inputs: [{ path: input, name: 'big.bin', format: undefined }], outputFormat: 'tar.xz', options: { compression_level: 9 }, outputDir, outputName: 'big' }, { ...context, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled by test')), 100);
    await assert.rejects(started, /cancelled by test/);
  });
});
