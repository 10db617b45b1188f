// The tool sandbox with real tools: what a hostile document or program can reach from inside a
// tool (nothing but its job's folder), and the limits that stop a tool.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError, StopError } from '../../src/core/errors.js';
import type { Sandbox } from '../../workers/tools/sandbox/index.js';
import { convertFile } from '../helpers/convert.js';
import { makePdf, pdfText } from '../helpers/documents.js';
import { testSandbox } from '../helpers/sandbox.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SECRET = 'TENANT-SECRET-7f3a';
const never = new AbortController().signal;

/** Runs a shell command in the sandbox for the job folder `job`; its stdout and stderr, or the error. */
async function inside(sandbox: Sandbox, job: string, script: string): Promise<string> {
  try {
    const result = await sandbox.runner(job).run('/bin/sh', ['-c', script], { signal: never });
    return `${result.stdout}${result.stderrTail}`;
  } catch (error) {
    return `ERROR ${(error as Error).message}`;
  }
}

describe('the tool sandbox', () => {
  let dir: string;
  let sandbox: Sandbox;
  let listener: Server;
  let hits = 0;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-sandbox-'));
    sandbox = await testSandbox(dir);
    // The worker's environment holds the keys; a tool must never see it.
    process.env['OPENCONVERT_TEST_SECRET'] = SECRET;
    await writeFile(path.join(dir, 'stored-file.txt'), SECRET);
    await mkdir(path.join(dir, 'job-other'));
    await writeFile(path.join(dir, 'job-other', 'input.docx'), SECRET);
    listener = createServer((_request, response) => {
      hits += 1;
      response.end('reached');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    delete process.env['OPENCONVERT_TEST_SECRET'];
    await new Promise((resolve) => listener.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('confines tools with bubblewrap on this machine (namespaces allowed)', () => {
    assert.equal(sandbox.report().kind, 'bubblewrap', `bubblewrap did not start: ${sandbox.report().reason ?? ''}. Install it (apt-get install bubblewrap; scripts/setup.sh does).`);
    assert.equal(sandbox.report().network, 'none');
  });

  it('shows a tool its own job folder only: not DATA_DIR, not another job, not the worker\'s environment', async () => {
    const job = await mkdtemp(path.join(dir, 'job-'));
    await writeFile(path.join(job, 'mine.txt'), 'mine');
    const out = await inside(sandbox, job, `cat ${job}/mine.txt; echo; cat ${dir}/stored-file.txt; cat ${dir}/job-other/input.docx; echo "listed: $(ls ${dir} | tr '\\n' ' ')"; cat /proc/1/environ; cat /proc/${process.pid}/environ; env; echo written > ${job}/out.txt && echo wrote`);
    assert.match(out, /^mine$/m);
    assert.match(out, /^wrote$/m, 'the tool writes in its own folder');
    assert.doesNotMatch(out, new RegExp(SECRET));
    assert.equal(/^listed: (.*)$/m.exec(out)?.[1]?.trim(), path.basename(job), 'DATA_DIR shows the job\'s own folder only');
  });

  it('runs a root worker\'s tools as an unprivileged user', { skip: process.getuid?.() !== 0 ? 'the worker is not root here' : false }, async () => {
    const job = await mkdtemp(path.join(dir, 'job-'));
    assert.equal((await inside(sandbox, job, 'id -u; cat /etc/shadow >/dev/null 2>&1 || echo no-shadow')).trim(), '65534\nno-shadow');
  });

  it('gives tools no network, not even loopback', async () => {
    const job = await mkdtemp(path.join(dir, 'job-'));
    const port = (listener.address() as AddressInfo).port;
    const out = await inside(sandbox, job, `python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:${port}/', timeout=5).read())" 2>&1 | tail -1`);
    assert.doesNotMatch(out, /reached/);
    assert.equal(hits, 0);
  });

  it('starts no tool for an aborted job, and brings back no job folder removed under it', async () => {
    const job = await mkdtemp(path.join(dir, 'job-'));
    const cancelled = new AbortController();
    cancelled.abort(new StopError('cancel'));
    await assert.rejects(sandbox.runner(job).run('/bin/sh', ['-c', `echo ran > ${job}/ran`], { signal: cancelled.signal }), StopError);
    assert.deepEqual(await readdir(job), [], 'nothing ran or was prepared in the folder of the aborted job');
    // The worker removes a job's folder; a tool a late step still starts must not make it again.
    await rm(job, { recursive: true });
    await assert.rejects(sandbox.runner(job).run('/bin/true', [], { signal: never }), { code: 'ENOENT' });
    assert.equal(existsSync(job), false, 'the removed job folder stays removed');
  });

  it('stops a tool over its memory, CPU time and file size limits with a message naming the setting', async () => {
    const tight = await testSandbox(dir, { TOOL_MEMORY_MB: '64', TOOL_CPU_SECONDS: '1', TOOL_MAX_FILE_MB: '1' });
    const job = await mkdtemp(path.join(dir, 'job-'));
    const run = (script: string) => tight.runner(job).run('/bin/sh', ['-c', script], { signal: never });
    await assert.rejects(run('python3 -c "a = bytearray(256 * 1024 * 1024)"'), (error: unknown) => error instanceof AppError && error.code === 'CONVERSION_FAILED' && /TOOL_MEMORY_MB/.test(error.message));
    await assert.rejects(run('while :; do :; done'), (error: unknown) => error instanceof AppError && /TOOL_CPU_SECONDS/.test(error.message));
    await assert.rejects(run(`head -c 2097152 /dev/zero > ${job}/big`), (error: unknown) => error instanceof AppError && /TOOL_MAX_FILE_MB/.test(error.message));
  });

  it("gives one job's tools a smaller memory limit when asked (a light conversion's), and names its setting", async () => {
    const job = await mkdtemp(path.join(dir, 'job-'));
    const grab = ['-c', 'a = bytearray(256 * 1024 * 1024); print(len(a))'];
    assert.equal((await sandbox.runner(job).run('python3', grab, { signal: never })).stdout.trim(), String(256 * 1024 * 1024), 'fits the default TOOL_MEMORY_MB');
    const light = sandbox.runner(job, { memoryBytes: 64 * 1024 * 1024, setting: 'LIGHT_TOOL_MEMORY_MB', niceness: 0 });
    await assert.rejects(light.run('python3', grab, { signal: never }), (error: unknown) => error instanceof AppError && error.code === 'CONVERSION_FAILED' && /64 MB \(LIGHT_TOOL_MEMORY_MB\)/.test(error.message));
  });

  it('without namespaces (TOOL_SANDBOX=rlimits) still applies the limits and the separate user', async () => {
    const limited = await testSandbox(dir, { TOOL_SANDBOX: 'rlimits', TOOL_MEMORY_MB: '64' });
    assert.equal(limited.report().kind, 'rlimits');
    const job = await mkdtemp(path.join(dir, 'job-'));
    if (process.getuid?.() === 0) assert.equal((await inside(limited, job, 'id -u')).trim(), '65534');
    await assert.rejects(limited.runner(job).run('python3', ['-c', 'a = bytearray(256 * 1024 * 1024)'], { signal: never }), /TOOL_MEMORY_MB/);
    assert.doesNotMatch(await inside(limited, job, `ls ${dir}`), /stored-file/, 'DATA_DIR cannot be listed');
  });

  it('refuses to start with TOOL_SANDBOX=bubblewrap where bubblewrap cannot run, saying how to fix it', async () => {
    await assert.rejects(testSandbox(dir, { TOOL_SANDBOX: 'bubblewrap', BWRAP_PATH: '/nonexistent/bwrap' }), /TOOL_SANDBOX=bubblewrap, but bubblewrap cannot run here.*apt-get install bubblewrap/s);
  });
});

describe('the tool sandbox through the API', () => {
  let server: TestServer;
  let work: string;
  before(async () => {
    server = await startTestServer({ env: { TOOL_MEMORY_MB: '64' } });
    work = await mkdtemp(path.join(os.tmpdir(), 'oc-sandbox-api-'));
  });
  after(async () => {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('keeps a PostScript program (Ghostscript -dSAFER) out of DATA_DIR, other jobs and the worker\'s environment', async () => {
    const stored = path.join(server.dataDir, 'another-tenant');
    await mkdir(stored, { recursive: true });
    await writeFile(path.join(stored, 'secret.txt'), SECRET);
    const program = `%!PS
/Helvetica findfont 10 scalefont setfont
/y 750 def
/say { 72 y moveto show /y y 12 sub def } def
/buf 400 string def
{ (${stored}/secret.txt) (r) file buf readstring pop say } stopped { (read refused) say } if
{ (${server.dataDir}/*) { dup length string copy say } 400 string filenameforall } stopped { (list refused) say } if
{ (/tmp/*) { dup length string copy say } 400 string filenameforall } stopped { (tmp refused) say } if
{ (/proc/1/environ) (r) file buf readstring pop say } stopped { (environ refused) say } if
(done) say
showpage
`;
    const file = path.join(work, 'probe.ps');
    await writeFile(file, program);
    const { status, files } = await convertFile(server, file, { inputformat: 'ps', outputformat: 'pdf' }, work);
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const text = await pdfText(files[0] ?? '');
    assert.match(text, /done/);
    assert.doesNotMatch(text, new RegExp(SECRET));
    assert.doesNotMatch(text, /another-tenant|secret\.txt|redis/, 'nothing else of DATA_DIR is listed');
    const listed = text.split('\n').filter((line) => line.startsWith('/'));
    assert.ok(listed.length > 0, 'the program lists its own folder');
    const own = /^(.*\/job-[^/]+)\//.exec(listed[0] ?? '')?.[1] ?? '';
    for (const line of listed) assert.ok(line.startsWith(`${own}/`), `${line} is inside the job's own folder`);
  });

  it('ends a conversion whose tool goes over its memory limit in a clear 422', async () => {
    const file = path.join(work, 'page.pdf');
    await makePdf(file, 1);
    const { status } = await convertFile(server, file, { inputformat: 'pdf', outputformat: 'png', converteroptions: { density: 600 } }, work);
    assert.equal(status.body['step'], 'error', JSON.stringify(status.body));
    assert.equal(status.status, 422);
    assert.match(String(status.body['message']), /ran out of memory.*TOOL_MEMORY_MB/);
  });
});
