// The archive engine through the API, as the archive tests drive it: pack files with mode=archive,
// download the result, extract with mode=extract, and expect a hostile archive to be refused with
// nothing left behind. Plus the Python preamble that writes hostile tars.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { entriesUnder } from './archives.js';
import { convertFile } from './convert.js';
import { auth, json, postJson, type JsonResponse } from './http.js';
import type { TestServer } from './server.js';

/** What a refused archive must not leave: files outside the work folder, names inside the data folder. */
export interface Leftovers {
  /** Paths a slip or absolute entry would write: none may exist. */
  readonly sentinels: readonly string[];
  /** Names of the archive's entries: none may be found under the server's data folder. */
  readonly names: RegExp;
}

export class ArchiveApi {
  constructor(
    private readonly server: TestServer,
    /** A temp folder the test owns: downloads and extractions go below it. */
    private readonly dir: string,
    private readonly leftovers: Leftovers,
  ) {}

  async createProcess(params: Record<string, unknown>): Promise<string> {
    const created = await postJson(`${this.server.baseUrl}/process`, params, auth());
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return this.server.abs(String(created.body['url']));
  }

  /** mode=archive of `files` (name → bytes) as base64 objects; the final status. */
  async archive(format: string, files: ReadonlyMap<string, Buffer>, options: Record<string, unknown> = {}): Promise<JsonResponse> {
    const url = await this.createProcess({ mode: 'archive', inputformat: '*', outputformat: format });
    const list = [...files].map(([filename, data]) => ({ file: data.toString('base64'), filename }));
    const status = await postJson(url, { mode: 'archive', outputformat: format, input: 'base64', files: list, converteroptions: options, wait: true });
    return status.body['step'] === 'finished' || status.body['step'] === 'error' ? status : json(`${url}?wait=true`);
  }

  /** The finished status's output file, saved under the test's folder; its path. */
  async download(status: JsonResponse): Promise<string> {
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const output = status.body['output'] as { url: string; filename: string };
    const response = await fetch(this.server.abs(output.url));
    assert.equal(response.status, 200);
    const file = path.join(await mkdtemp(path.join(this.dir, 'packed-')), output.filename);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    return file;
  }

  /** mode=extract of `file`: the output names and bytes. */
  async extract(file: string, format: string): Promise<Map<string, Buffer>> {
    const result = await convertFile(this.server, file, { mode: 'extract', inputformat: format }, await mkdtemp(path.join(this.dir, 'extracted-')));
    assert.equal(result.status.body['step'], 'finished', JSON.stringify(result.status.body));
    return new Map(await Promise.all(result.files.map(async (f) => [path.basename(f), await readFile(f)] as const)));
  }

  /** mode=extract of `file` fails with a 422 whose message matches, gives no output and leaves nothing behind. */
  async refused(file: string, format: string, message: RegExp): Promise<void> {
    const result = await convertFile(this.server, file, { mode: 'extract', inputformat: format }, this.dir);
    assert.equal(result.status.status, 422, `${path.basename(file)}: ${JSON.stringify(result.status.body)}`);
    assert.equal(result.status.body['step'], 'error');
    assert.match(String(result.status.body['message']), message, path.basename(file));
    assert.equal((result.status.body['output'] as { url?: string } | undefined)?.url, undefined, 'no output');
    for (const sentinel of this.leftovers.sentinels) assert.equal(existsSync(sentinel), false, `${sentinel} must not exist`);
    const left = await entriesUnder(this.server.dataDir);
    assert.deepEqual(left.filter((p) => this.leftovers.names.test(p)), [], 'nothing of the archive left in the data folder');
  }
}

/**
 * Python that defines `tar(name, entries, mode='w')` (entries: (name, type, linkname, data)) and
 * writes `ok` (a harmless entry), `slip.tar` (a "../" entry aimed at /tmp/oc-slip-<token>.txt)
 * and `symlink.tar` (a link to /etc/passwd). Tests append their own archives.
 */
export const HOSTILE_TARS_PY = (token: string): string => `
import io, tarfile
def tar(name, entries, mode='w'):
    with tarfile.open(name, mode) as t:
        for e in entries:
            info = tarfile.TarInfo(e[0]); info.type = e[1]; info.linkname = e[2] if len(e) > 2 else ''
            data = e[3] if len(e) > 3 else b''
            info.size = len(data) if e[1] == tarfile.REGTYPE else 0
            t.addfile(info, io.BytesIO(data) if e[1] == tarfile.REGTYPE else None)
ok = ('ok.txt', tarfile.REGTYPE, '', b'fine')
tar('slip.tar', [ok, ('../../../../../../../../../tmp/oc-slip-${token}.txt', tarfile.REGTYPE, '', b'escaped')])
tar('symlink.tar', [ok, ('link', tarfile.SYMTYPE, '/etc/passwd')])
`;
