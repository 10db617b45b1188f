// The pdf/* operations and archive/extract of API v2 through a real server and worker (own
// Redis, qpdf, Ghostscript, ocrmypdf/Tesseract), each result checked by content with poppler and
// qpdf; passwords never come back in any answer.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { auth, json, postJson } from '../helpers/http.js';
import { dumpRedis } from '../helpers/redis-dump.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';
import { zipBytes } from '../helpers/zip-bytes.js';

const exec = promisify(execFile);
type Obj = Record<string, unknown>;
const data = (body: Obj): Obj => body['data'] as Obj;
const byName = (job: Obj, name: string): Obj => (job['tasks'] as Obj[]).find((t) => t['name'] === name) ?? {};
const filesOf = (task: Obj): Obj[] => ((task['result'] as Obj | null)?.['files'] ?? []) as Obj[];

const SECRET = 'Sesame-7f3a!pdf';
const TIMEOUT = { timeout: 240_000 };

describe('API v2 PDF tools and archive/extract', { timeout: 900_000 }, () => {
  let server: TestServer;
  let dir: string;
  let threePages: Buffer;
  let scanned: Buffer;

  /** A file in the test folder, and its path. */
  const save = async (name: string, bytes: Buffer): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    return file;
  };
  const pdfinfo = async (file: string, args: string[] = []): Promise<string> => (await exec('pdfinfo', [...args, file])).stdout;
  const pdftotext = async (file: string): Promise<string> => (await exec('pdftotext', [file, '-'])).stdout;

  before(async () => {
    await requireTools(['qpdf', 'gs', 'ocrmypdf', 'tesseract', 'pdfinfo', 'pdftotext', 'mutool']);
    dir = await mkdtemp(path.join(tmpdir(), 'v2-pdf-tools-'));
    const text = path.join(dir, 'three.pdf');
    await exec('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-sDEVICE=pdfwrite', `-sOutputFile=${text}`, '-c', '/Helvetica findfont 40 scalefont setfont 72 600 moveto (PAGE ONE) show showpage 72 600 moveto (PAGE TWO) show showpage 72 600 moveto (PAGE THREE) show showpage']);
    threePages = await readFile(text);
    // A scan: "HELLO WORLD 42" as pixels only (rendered to PNG, then the PNG made a PDF).
    const words = path.join(dir, 'words.pdf');
    await exec('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-sDEVICE=pdfwrite', `-sOutputFile=${words}`, '-c', '/Helvetica findfont 48 scalefont setfont 72 600 moveto (HELLO WORLD 42) show showpage']);
    await exec('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-sDEVICE=pnggray', '-r150', `-sOutputFile=${path.join(dir, 'words.png')}`, words]);
    await exec('mutool', ['convert', '-o', path.join(dir, 'scan.pdf'), path.join(dir, 'words.png')]);
    scanned = await readFile(path.join(dir, 'scan.pdf'));
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Runs a job: imports `file` as `name`, runs `task` on it, exports; the finished job. */
  const runJob = async (file: Buffer, name: string, task: Obj): Promise<Obj> => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks: { in: { operation: 'import/base64', file: file.toString('base64'), filename: name }, work: { input: 'in', ...task }, out: { operation: 'export/url', input: 'work' } } }, auth());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(JSON.stringify(created.body).includes(SECRET), false, 'no password in the create answer');
    const waited = await json(`${server.baseUrl}/sync/v2/jobs/${String(data(created.body)['id'])}?include=payload`, { headers: auth() });
    assert.equal(JSON.stringify(waited.body).includes(SECRET), false, 'no password in the job, payload included');
    return data(waited.body);
  };
  /** The exported files of a finished job, saved locally, in order. */
  const download = async (job: Obj, prefix: string): Promise<Array<{ name: string; path: string }>> => {
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const files = filesOf(byName(job, 'out'));
    return Promise.all(files.map(async (f, i) => ({ name: String(f['filename']), path: await save(`${prefix}-${i}.pdf`, Buffer.from(await (await fetch(String(f['url']))).arrayBuffer())) })));
  };

  it('pdf/a writes PDF/A-2B: the XMP says part 2, conformance B, and an OutputIntent exists', TIMEOUT, async () => {
    const [result] = await download(await runJob(threePages, 'three.pdf', { operation: 'pdf/a' }), 'pdfa');
    const bytes = await readFile(result?.path ?? '');
    const xmp = bytes.toString('latin1');
    assert.match(xmp, /pdfaid:part(=['"]|>)2/);
    assert.match(xmp, /pdfaid:conformance(=['"]|>)B/);
    const objects = (await exec('qpdf', ['--json', '--json-key=qpdf', result?.path ?? ''], { maxBuffer: 64 * 1024 * 1024 })).stdout;
    assert.match(objects, /\/OutputIntent/);
    assert.match(objects, /\/GTS_PDFA1/);
  });

  it('pdf/a of a password-protected PDF fails the task saying to decrypt it first', TIMEOUT, async () => {
    const locked = path.join(dir, 'locked-local.pdf');
    await exec('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', path.join(dir, 'three.pdf'), locked]);
    const job = await runJob(await readFile(locked), 'locked.pdf', { operation: 'pdf/a' });
    assert.equal(byName(job, 'work')['status'], 'error', JSON.stringify(job));
    assert.match(String(byName(job, 'work')['message']), /decrypted first with a pdf\/decrypt task/);
  });

  it('pdf/ocr gives a scan a text layer: pdftotext finds the words after, not before', TIMEOUT, async () => {
    const before = await pdftotext(await save('scan-in.pdf', scanned));
    assert.doesNotMatch(before, /HELLO/);
    const [result] = await download(await runJob(scanned, 'scan.pdf', { operation: 'pdf/ocr', language: 'eng' }), 'ocr');
    const after = await pdftotext(result?.path ?? '');
    assert.match(after, /HELLO\s+WORLD/);
    assert.match(after, /42/);
  });

  it('pdf/encrypt sets an AES-256 open password; pdf/decrypt opens it with the right one and fails clearly with a wrong one', TIMEOUT, async () => {
    const encryptJob = await runJob(threePages, 'three.pdf', { operation: 'pdf/encrypt', set_password: SECRET, allow_print: false });
    const [locked] = await download(encryptJob, 'locked');
    // The passwords went when the task ended: a retry says to create a new task instead.
    const retry = await postJson(`${server.baseUrl}/v2/tasks/${String(byName(encryptJob, 'work')['id'])}/retry`, {}, auth());
    assert.equal(retry.status, 422, JSON.stringify(retry.body));
    assert.match(JSON.stringify(retry.body), /discarded when it ended/);
    const lockedBytes = await readFile(locked?.path ?? '');
    await assert.rejects(exec('pdfinfo', [locked?.path ?? '']), /password|Incorrect/i, 'opening needs the password');
    const info = await pdfinfo(locked?.path ?? '', ['-upw', SECRET]);
    assert.match(info, /Encrypted:\s+yes .*AES-256/);
    assert.match(info, /print:no/);

    const [open] = await download(await runJob(lockedBytes, 'locked.pdf', { operation: 'pdf/decrypt', password: SECRET }), 'open');
    assert.match(await pdfinfo(open?.path ?? ''), /Encrypted:\s+no/);
    assert.match(await pdftotext(open?.path ?? ''), /PAGE TWO/);

    const wrong = await runJob(lockedBytes, 'locked.pdf', { operation: 'pdf/decrypt', password: 'not-the-password' });
    assert.equal(wrong['status'], 'error');
    const task = byName(wrong, 'work');
    assert.equal(task['status'], 'error');
    assert.match(String(task['message']), /password does not open this PDF/);
    assert.equal(JSON.stringify(wrong).includes('not-the-password'), false, 'the wrong password is not shown either');
    // Nor is any password left in Redis once the tasks ended: record, job data, events, logs.
    const dump = await dumpRedis(Number(new URL(server.redisUrl).port), dir);
    for (const secret of [SECRET, 'not-the-password']) assert.ok(![...dump.values.values(), dump.snapshot].some((text) => text.includes(secret)), secret);
  });

  it('keeps a waiting task\'s passwords sealed in Redis, in their own key, nowhere in plain text', async () => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks: { in: { operation: 'import/upload' }, work: { operation: 'pdf/encrypt', input: 'in', set_password: SECRET, set_owner_password: `${SECRET}-owner` } } }, auth());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const taskId = String(byName(data(created.body), 'work')['id']);
    const dump = await dumpRedis(Number(new URL(server.redisUrl).port), dir);
    const secretKey = `${server.config.redisPrefix}:secret:${taskId}`;
    assert.match(dump.values.get(secretKey) ?? '', /^v1\.[A-Za-z0-9_-]{8}\./, `sealed in its own key (keys: ${[...dump.values.keys()].join(', ')})`);
    assert.ok(![...dump.values.values(), dump.snapshot].some((text) => text.includes(SECRET)), 'no password in plain text');
    const shown = await json(`${server.baseUrl}/v2/tasks/${taskId}?include=payload`, { headers: auth() });
    assert.equal(shown.status, 200);
    assert.equal(JSON.stringify(shown.body).includes(SECRET), false);
    assert.equal((await fetch(`${server.baseUrl}/v2/jobs/${String(data(created.body)['id'])}`, { method: 'DELETE', headers: auth() })).status, 204);
  });

  it('pdf/ocr reads an image input (png) into a searchable PDF', TIMEOUT, async () => {
    const [result] = await download(await runJob(await readFile(path.join(dir, 'words.png')), 'words.png', { operation: 'pdf/ocr', image_dpi: 150 }), 'ocr-png');
    assert.equal(result?.name, 'words.pdf');
    assert.match(await pdftotext(result?.path ?? ''), /HELLO\s+WORLD/);
  });

  it('pdf/split-pages makes one PDF of one page per page, named name-1.pdf...', TIMEOUT, async () => {
    const pages = await download(await runJob(threePages, 'three.pdf', { operation: 'pdf/split-pages' }), 'split');
    assert.deepEqual(pages.map((p) => p.name), ['three-1.pdf', 'three-2.pdf', 'three-3.pdf']);
    for (const [i, page] of pages.entries()) {
      assert.match(await pdfinfo(page.path), /Pages:\s+1\n/);
      assert.match(await pdftotext(page.path), [/PAGE ONE/, /PAGE TWO/, /PAGE THREE/][i] ?? /x/);
    }
  });

  it('pdf/extract-pages keeps pages 2-3; pages beyond the document fail the task naming pages', TIMEOUT, async () => {
    const [result] = await download(await runJob(threePages, 'three.pdf', { operation: 'pdf/extract-pages', pages: '2-3' }), 'extract');
    assert.match(await pdfinfo(result?.path ?? ''), /Pages:\s+2\n/);
    const text = await pdftotext(result?.path ?? '');
    assert.match(text, /PAGE TWO[\s\S]*PAGE THREE/);
    assert.doesNotMatch(text, /PAGE ONE/);

    const beyond = await runJob(threePages, 'three.pdf', { operation: 'pdf/extract-pages', pages: '2-9' });
    assert.equal(byName(beyond, 'work')['status'], 'error');
    assert.match(String(byName(beyond, 'work')['message']), /pages "2-9" .*3 pages/);
  });

  it('pdf/rotate-pages turns the chosen pages by 90 degrees and leaves the others', TIMEOUT, async () => {
    const [result] = await download(await runJob(threePages, 'three.pdf', { operation: 'pdf/rotate-pages', rotation: 90, pages: '1,3' }), 'rotate');
    const info = await pdfinfo(result?.path ?? '', ['-f', '1', '-l', '3']);
    const rotations = [...info.matchAll(/Page\s+(\d) rot:\s+(\d+)/g)].map((m) => Number(m[2]));
    assert.deepEqual(rotations, [90, 0, 90]);
  });

  it('answers 422 naming the field for a bad rotation, bad pages, a missing password and an input a tool does not read', async () => {
    const cases: Array<[Obj, string]> = [
      [{ operation: 'pdf/rotate-pages', rotation: 45 }, 'rotation'],
      [{ operation: 'pdf/rotate-pages' }, 'rotation'],
      [{ operation: 'pdf/extract-pages', pages: 'two' }, 'pages'],
      [{ operation: 'pdf/extract-pages' }, 'pages'],
      [{ operation: 'pdf/encrypt' }, 'set_password'],
      [{ operation: 'pdf/encrypt', set_password: 'a\nb' }, 'set_password'],
      [{ operation: 'pdf/a', conformance_level: '4u' }, 'conformance_level'],
      [{ operation: 'pdf/ocr', language: 'e n g' }, 'language'],
      [{ operation: 'pdf/encrypt', set_password: 'x', input_format: 'png' }, 'input_format'],
    ];
    for (const [task, field] of cases) {
      const response = await postJson(`${server.baseUrl}/v2/jobs`, { tasks: { in: { operation: 'import/upload' }, work: { input: 'in', ...task } } }, auth());
      assert.equal(response.status, 422, `${JSON.stringify(task)}: ${JSON.stringify(response.body)}`);
      assert.ok(Object.keys(response.body['errors'] as Obj).includes(`tasks.work.${field}`), `${field} in ${JSON.stringify(response.body['errors'])}`);
    }
  });

  it('archive/extract gives a zip\'s files as the task\'s files', TIMEOUT, async () => {
    const zip = zipBytes([{ name: 'a.txt', data: 'first file\n' }, { name: 'docs/b.txt', data: 'second file\n' }]);
    const job = await runJob(zip, 'two.zip', { operation: 'archive/extract' });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const files = filesOf(byName(job, 'out'));
    const contents = await Promise.all(files.map(async (f) => [String(f['filename']), await (await fetch(String(f['url']))).text()]));
    assert.equal(contents.length, 2, JSON.stringify(contents));
    assert.ok(contents.some(([, text]) => text === 'first file\n'));
    assert.ok(contents.some(([name, text]) => text === 'second file\n' && /b\.txt$/.test(name ?? '')));
  });

  it('GET /v2/operations lists the PDF tools with their fields, passwords as sealed fields', async () => {
    const reply = await json(`${server.baseUrl}/v2/operations?filter[operation]=pdf/encrypt&include=options`);
    assert.equal(reply.status, 200);
    const [item] = reply.body['data'] as Obj[];
    assert.equal(item?.['engine'], 'pdftools');
    const names = ((item?.['options'] ?? []) as Obj[]).map((o) => o['name']);
    assert.deepEqual(names, ['set_password', 'set_owner_password', 'allow_print', 'allow_copy', 'allow_modify']);
    const ocr = await json(`${server.baseUrl}/v2/operations?filter[operation]=pdf/ocr`);
    assert.deepEqual((ocr.body['data'] as Obj[]).map((o) => o['input_format']), ['pdf', 'png', 'jpg', 'tiff']);
  });
});
