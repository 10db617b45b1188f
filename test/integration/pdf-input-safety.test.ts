// Hostile inputs of the PDF engine (mutool) and of mode=compress (Ghostscript) through the API:
// a file whose name picks another mutool reader, content that is not what inputformat says,
// and PostScript sent as a PDF. All made at test time.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { convertFile } from '../helpers/convert.js';
import { requireOfficeTools } from '../helpers/documents.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** HTML for MuPDF's HTML engine that also holds enough PDF objects for `mutool show` to count a page. */
const POLYGLOT = `<html><body><p>HTML ENGINE RAN</p><img src="../../../../../../../../etc/hostname"/><!--
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Count 1 /Kids [3 0 R] >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >> endobj
trailer << /Root 1 0 R >>
--></body></html>
`;

describe('PDF engine and Ghostscript: inputs that are not what they say', () => {
  let server: TestServer;
  let dir: string;
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));

  before(async () => {
    await requireOfficeTools();
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-pdf-safety-'));
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const refused = (result: { status: { status: number; body: Record<string, unknown> } }, message: RegExp): void => {
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    assert.equal(result.status.body['step'], 'error');
    assert.match(String(result.status.body['message']), message);
  };

  it('never lets the upload\'s name pick mutool\'s reader: an .xhtml sent as pdf is refused', async () => {
    const file = path.join(dir, 'report.xhtml');
    await writeFile(file, POLYGLOT);
    for (const outputformat of ['txt', 'png']) {
      const result = await convertFile(server, file, { inputformat: 'pdf', outputformat }, await out());
      assert.deepEqual(result.files, [], 'nothing of the HTML engine comes back');
      refused(result, /The pdf file is not a PDF \(with %PDF- in its first 1024 bytes/);
    }
  });

  it('refuses an HTML body named .pdf before mutool opens it', async () => {
    const file = path.join(dir, 'page.pdf');
    await writeFile(file, '<html><body><img src="../../../../dev/zero"></body></html>');
    refused(await convertFile(server, file, { inputformat: 'pdf', outputformat: 'txt' }, await out()), /The pdf file is not a PDF/);
  });

  it('refuses an image whose bytes are not its format before mutool converts it', async () => {
    const file = path.join(dir, 'photo.png');
    await writeFile(file, POLYGLOT);
    refused(await convertFile(server, file, { inputformat: 'png', outputformat: 'pdf' }, await out()), /The png file is not a PNG image/);
  });

  it('refuses PostScript sent as a PDF for mode=compress before Ghostscript runs it', async () => {
    // Ghostscript runs a file starting with %! as PostScript, even with a PDF header after it.
    const page = '/Helvetica findfont 24 scalefont setfont 72 700 moveto (POSTSCRIPT RAN) show showpage\n';
    for (const [name, body] of [['plain.pdf', `%!PS-Adobe-3.0\n${page}`], ['headed.pdf', `%!PS\n%PDF-1.4\n${page}`]] as const) {
      const file = path.join(dir, name);
      await writeFile(file, body);
      const result = await convertFile(server, file, { mode: 'compress', inputformat: 'pdf' }, await out());
      assert.deepEqual(result.files, [], name);
      refused(result, /The pdf file is not a PDF \(with %PDF- in its first 1024 bytes, and no PostScript before it\)/);
    }
  });
});
