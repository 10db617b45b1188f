// The API console's static route (GET /, /console/<file>) and GET /conversiontypes/options, on a
// real server without a worker: headers, content types, and that no path escapes the folder.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { json } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A GET with the path sent exactly as written (fetch would normalize ../ away). */
function rawGet(port: number, rawPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('API console: static files', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ worker: false });
  });
  after(() => server.stop());

  it('GET / serves the page with a strict Content-Security-Policy', async () => {
    const res = await fetch(`${server.baseUrl}/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    // Previews of results: images and PDF frames from this server only.
    assert.match(csp, /img-src 'self' data: blob:(;|$)/);
    assert.match(csp, /frame-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /object-src (?!'none')/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const html = await res.text();
    assert.match(html, /<script type="module" src="\/console\/app\.js"><\/script>/);
    assert.doesNotMatch(html, /<script>(?!<)/, 'no inline script');
  });

  it('serves assets with their content types', async () => {
    for (const [file, type] of [['app.js', 'text/javascript; charset=utf-8'], ['snippets.js', 'text/javascript; charset=utf-8'], ['console.css', 'text/css; charset=utf-8']] as const) {
      const res = await fetch(`${server.baseUrl}/console/${file}`);
      assert.equal(res.status, 200, file);
      assert.equal(res.headers.get('content-type'), type, file);
      assert.ok((await res.text()).length > 100, file);
    }
  });

  it('no asset path reaches outside the console folder', async () => {
    const attempts = [
      '/console/../package.json',
      '/console/..%2fpackage.json',
      '/console/%2e%2e%2fpackage.json',
      '/console/..%5cpackage.json',
      '/console/%2e%2e/%2e%2e/src/app.ts',
      '/console/....//package.json',
      '/console/app.js%00.css',
      '/console/.gitignore',
      '/console/APP.JS',
      '/console/tsconfig.json',
      '/console/',
      '/console/nope.js',
      '/v1/console/app.js',
    ];
    for (const attempt of attempts) {
      const res = await rawGet(server.port, attempt);
      assert.ok(res.status === 404 || res.status === 400, `${attempt} answered ${res.status}`);
      assert.doesNotMatch(res.body, /"name": "openconvert"|buildApp|dependencies/, attempt);
      assert.match(res.headers['content-type'] ?? '', /application\/json/, attempt);
    }
  });

  it('shows the Node SDK v2 (cloudconvert 3.x) snippet beside the v1 clients', async () => {
    const html = await (await fetch(`${server.baseUrl}/`)).text();
    // The Copy button is named after its snippet's heading ("Copy Node SDK v2 ...").
    assert.match(html, /<h3 id="title-node-v2">Node SDK v2 \(cloudconvert 3\.x, API v2\)<\/h3><button type="button" class="copy" data-snippet="node-v2" id="copy-node-v2" aria-labelledby="copy-node-v2 title-node-v2">Copy<\/button><pre tabindex="0"><code id="code-node-v2"><\/code><\/pre>/);
    const served = await (await fetch(`${server.baseUrl}/console/snippets.js`)).text();
    assert.match(served, /\{ id: 'node-v2', label: 'Node SDK v2', render: nodeSdkV2 \}/);
    // The page's module, rendered as the page does for an upload with one option.
    const { SNIPPETS } = (await import(new URL('../../console/snippets.js', import.meta.url).href)) as { SNIPPETS: Array<{ id: string; render: (r: unknown) => string }> };
    const snippet = SNIPPETS.find((s) => s.id === 'node-v2')?.render({ origin: server.baseUrl, key: 'YOUR_API_KEY', mode: 'convert', inputformat: 'svg', outputformat: 'png', input: 'upload', filenames: ['drawing.svg'], urls: [], options: { resize: '60x' } }) ?? '';
    assert.ok(snippet.includes(`const SERVER = "${server.baseUrl}";`), snippet);
    for (const part of ["require('cloudconvert')", 'new CloudConvert("YOUR_API_KEY")', 'cloudConvert.callWithBase = ', "'import-it': { operation: 'import/upload' }", 'output_format: "png", resize: "60x"', "'export-it': { operation: 'export/url', input: 'convert-it' }", 'cloudConvert.jobs.create(', 'cloudConvert.tasks.upload(uploadTask, fs.createReadStream("drawing.svg"), "drawing.svg")', 'cloudConvert.jobs.wait(job.id)', 'cloudConvert.jobs.getExportUrls(job)']) {
      assert.ok(snippet.includes(part), `the snippet has ${part}`);
    }
  });

  it('snippets for several files: every file sent, the result saved with its own extension', async () => {
    const { SNIPPETS } = (await import(new URL('../../console/snippets.js', import.meta.url).href)) as { SNIPPETS: Array<{ id: string; render: (r: unknown) => string }> };
    const render = (id: string, r: Record<string, unknown>) => SNIPPETS.find((s) => s.id === id)?.render({ origin: server.baseUrl, key: 'K', options: {}, urls: [], ...r }) ?? '';
    const combine = { mode: 'combine', inputformat: 'pdf', outputformat: 'pdf', input: 'upload', filenames: ['a.pdf', 'b;c.pdf'] };
    const curl = render('curl', combine);
    assert.match(curl, /--form-string 'mode=combine' --form-string 'outputformat=pdf' -F 'file=@a\.pdf' -F 'file=@"b;c\.pdf"'/);
    assert.match(curl, /-o "out\/\$\(node -p 'require\("\.\/status\.json"\)\.output\.filename'\)"/, 'named as the server names it');
    assert.match(render('curl-convert', combine), /-L -O -J --output-dir out/);
    for (const id of ['node', 'php', 'python']) assert.match(render(id, combine), /sends one file per process, and mode=combine \/ mode=archive take several/, id);
    assert.match(render('node-v2', combine), /'merge-it': \{ operation: 'merge', input: \['import-1', 'import-2'\], output_format: "pdf" \}/);
    const urls = render('curl', { mode: 'archive', inputformat: '*', outputformat: 'tar.gz', input: 'download', filenames: [], urls: ['https://example.com/a.txt', 'https://example.com/b.txt'] });
    assert.match(urls, /--data-urlencode 'files\[\]=https:\/\/example\.com\/a\.txt' --data-urlencode 'files\[\]=https:\/\/example\.com\/b\.txt'/);
    assert.match(urls, /-d inputformat='\*' -d outputformat='tar\.gz' -d mode='archive'/);
    // One archive in, several files out: the v1 clients save the ZIP as such, never as the input.
    const extract = { mode: 'extract', inputformat: 'zip', outputformat: 'zip', input: 'upload', filenames: ['bundle.zip'] };
    assert.match(render('python', extract), /process\.download\('bundle-files\.zip'\)/);
    assert.match(render('node', extract), /fs\.createWriteStream\("bundle-files\.zip"\)/);
    assert.match(render('php', { ...extract, mode: 'compress', inputformat: 'pdf', outputformat: 'pdf', filenames: ['big.pdf'] }), /download\('\.\/big-compressed\.pdf'\)/);
    const website = render('node-v2', { mode: 'convert', inputformat: 'website', outputformat: 'pdf', input: 'download', filenames: [], urls: ['https://example.com/'] });
    assert.match(website, /'capture-it': \{ operation: 'capture-website', url: "https:\/\/example\.com\/", output_format: "pdf" \}/);
    assert.doesNotMatch(website, /import\//, 'a capture imports nothing');
  });

  it('the API still answers under / (the console takes only / and /console/)', async () => {
    const res = await json<unknown[]>(`${server.baseUrl}/conversiontypes?inputformat=svg&outputformat=png`);
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 1);
  });
});

describe('GET /conversiontypes/options', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ worker: false });
  });
  after(() => server.stop());

  it('lists each option with its type, default and valid values', async () => {
    const res = await json<{ mode: string; converter: string; modes: string[]; options: Array<Record<string, unknown>> }>(`${server.baseUrl}/v1/conversiontypes/options?inputformat=svg&outputformat=png`);
    assert.equal(res.status, 200);
    assert.equal(res.body.mode, 'convert');
    assert.equal(res.body.converter, 'sharp');
    assert.deepEqual(res.body.modes, ['convert', 'info', 'combine', 'archive', 'extract', 'compress']);
    const quality = res.body.options.find((o) => o.name === 'quality');
    assert.deepEqual(quality, { name: 'quality', type: 'integer', default: null, description: quality?.['description'], valid: 'a whole number from 1 to 100', min: 1, max: 100 });
    const resizemode = res.body.options.find((o) => o.name === 'resizemode');
    assert.deepEqual(resizemode?.['values'], ['maximum', 'minimum', 'exact']);
    assert.equal(resizemode?.['default'], 'maximum');
    assert.equal(res.body.options.find((o) => o.name === 'resize')?.['type'], 'pattern');
  });

  it('describes mode=info and answers an unsupported pair like /process', async () => {
    const info = await json<{ options: Array<{ name: string }> }>(`${server.baseUrl}/conversiontypes/options?mode=info&inputformat=mp4`);
    assert.equal(info.status, 200);
    assert.ok(info.body.options.some((o) => o.name === 'thumbnail_count'));
    const bad = await json<{ error: string; code: number }>(`${server.baseUrl}/conversiontypes/options?inputformat=svg&outputformat=mp3`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'This conversiontype is not supported!');
    assert.match(String((bad.body as { hint?: string }).hint), /svg to mp3 is not available/);
    const compress = await json<{ converter: string; outputformat: string; options: Array<{ name: string; default: unknown }> }>(`${server.baseUrl}/conversiontypes/options?mode=compress&inputformat=pdf`);
    assert.equal(compress.status, 200);
    assert.equal(compress.body.converter, 'ghostscript');
    assert.equal(compress.body.outputformat, 'pdf');
    assert.deepEqual(compress.body.options.map((o) => [o.name, o.default]), [['pdf_preset', 'ebook']]);
    const combine = await json<{ error: string }>(`${server.baseUrl}/conversiontypes/options?mode=combine&outputformat=jpg`);
    assert.equal(combine.status, 400);
    assert.equal(combine.body.error, 'This conversiontype is not supported!');
    assert.match(String((combine.body as { hint?: string }).hint), /outputformat must be pdf/);
    const missing = await json<{ error: string }>(`${server.baseUrl}/conversiontypes/options`);
    assert.equal(missing.status, 400);
    assert.match(missing.body.error, /inputformat is missing/);
  });
});
