// The markup engine's pure parts: pandoc's and WeasyPrint's arguments, and the document check
// that stands in for pandoc's sandbox where its writers cannot run sandboxed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolvePlan, type ConvertPlan } from '../../src/core/catalog/resolve.js';
import { isSafeImageTarget, safeDocument } from '../../workers/converters/pandoc/ast-safety.js';
import { buildPdfArgs, buildReadArgs, buildTextArgs, buildWriteArgs, routeOf } from '../../workers/converters/pandoc/command.js';

const FILTER = '/app/workers/converters/pandoc/unwrap-divs.lua';
/** The typed options a pair's plan carries, from the client's converteroptions. */
function optionsOf(inputformat: string, outputformat: string, converteroptions?: Record<string, unknown>) {
  const plan = resolvePlan({ mode: 'convert', inputformat, outputformat, converteroptions }) as ConvertPlan;
  assert.equal(plan.engine, 'pandoc', `${inputformat} → ${outputformat} is pandoc's`);
  return plan.options as never;
}

describe('pandoc arguments', () => {
  it('runs readers and writers by fixed names, sandboxed, with the defaults', () => {
    const args = buildTextArgs('/job/in.md', '/job/out/a.rst', 'md', 'rst', optionsOf('md', 'rst'), FILTER);
    assert.deepEqual(args, ['--sandbox', '--quiet', '--from', 'markdown', '--to', 'rst', '--standalone', '--highlight-style', 'pygments', '--wrap', 'auto', '--lua-filter', FILTER, '--output', '/job/out/a.rst', '/job/in.md']);
  });

  it('turns options into their flags only', () => {
    const args = buildTextArgs('/job/in.tex', '/job/out/a.html', 'tex', 'html', optionsOf('tex', 'html', { toc: true, number_sections: true, highlight_style: 'none', standalone: false }), FILTER);
    assert.ok(args.includes('--toc') && args.includes('--number-sections') && args.includes('--no-highlight'));
    assert.ok(!args.includes('--standalone') && !args.includes('--lua-filter'), 'a fragment; html keeps its divs');
    assert.deepEqual(args.slice(2, 6), ['--from', 'latex', '--to', 'html5']);
  });

  it('writes textile, mediawiki, notebooks and txt without --standalone (a lone heading stays a heading)', () => {
    for (const output of ['textile', 'mediawiki', 'ipynb', 'txt']) assert.ok(!buildTextArgs('/j/i.rst', `/j/o.${output}`, 'rst', output as never, optionsOf('rst', output), FILTER).includes('--standalone'), output);
  });

  it('reads packages sandboxed into JSON with the images extracted, then writes them from the checked JSON', () => {
    assert.equal(routeOf('docx'), 'package');
    assert.equal(routeOf('pdf'), 'pdf');
    assert.equal(routeOf('rtf'), 'text');
    assert.deepEqual(buildReadArgs('/job/in.odt', '/job/d.json', '/job/media', 'odt'), ['--sandbox', '--quiet', '--from', 'odt', '--to', 'json', '--extract-media', '/job/media', '--output', '/job/d.json', '/job/in.odt']);
    const write = buildWriteArgs('/job/d.json', '/job/out/a.epub', '/job/media', 'epub', optionsOf('odt', 'epub', { toc: true }));
    assert.deepEqual(write.slice(0, 7), ['--quiet', '--from', 'json', '--to', 'epub3', '--resource-path', '/job/media']);
    assert.ok(write.includes('--toc') && write.includes('--standalone'));
  });

  it('gives WeasyPrint the page size and the page limit', () => {
    assert.deepEqual(buildPdfArgs('/app/pdf-layout.py', '/job/p.html', '/job/out/a.pdf', optionsOf('md', 'pdf', { page_size: 'Letter' }), 40), ['/app/pdf-layout.py', '/job/p.html', '/job/out/a.pdf', 'Letter', '40']);
  });

  it('refuses relative paths (a path could read as an option) and formats it has no reader or writer for', () => {
    assert.throws(() => buildTextArgs('in.md', '/job/o.rst', 'md', 'rst', optionsOf('md', 'rst'), FILTER), /absolute/);
    assert.throws(() => buildTextArgs('/job/in.png', '/job/o.rst', 'png', 'rst', optionsOf('md', 'rst'), FILTER), /reads no png/);
    assert.throws(() => buildTextArgs('/job/in.md', '/job/o.mp4', 'md', 'mp4', optionsOf('md', 'rst'), FILTER), /writes no mp4/);
  });

  it('refuses an option value outside its list before any tool runs', () => {
    assert.throws(() => resolvePlan({ mode: 'convert', inputformat: 'md', outputformat: 'html', converteroptions: { highlight_style: '--lua-filter=x' } }), /highlight_style/);
    assert.throws(() => resolvePlan({ mode: 'convert', inputformat: 'md', outputformat: 'pdf', converteroptions: { page_size: 'B5; rm' } }), /page_size/);
  });
});

describe('the document check before an unsandboxed writer', () => {
  const MEDIA = '/job/pandoc-media';
  const image = (url: string) => ({ t: 'Image', c: [['', [], []], [{ t: 'Str', c: 'alt' }], [url, '']] });
  const doc = (blocks: unknown[], meta: Record<string, unknown> = {}) => ({ 'pandoc-api-version': [1, 22, 2, 1], meta, blocks });

  it('keeps images pandoc extracted and inline data: images, nothing else', () => {
    assert.equal(isSafeImageTarget(`${MEDIA}/media/rId20.png`, MEDIA), true);
    assert.equal(isSafeImageTarget('data:image/png;base64,iVBORw0KGgo=', MEDIA), true);
    for (const url of ['/etc/passwd', 'media/x.png', `${MEDIA}/../../etc/passwd`, `${MEDIA}/./x.png`, `${MEDIA}/%2e%2e/x`, `${MEDIA}x/a.png`, 'file:///etc/passwd', 'http://example.com/a.png', 'data:text/plain;base64,cm9vdA==']) {
      assert.equal(isSafeImageTarget(url, MEDIA), false, url);
    }
  });

  it('turns other images into their description, also inside other elements and metadata', () => {
    const safe = safeDocument(doc([{ t: 'Para', c: [image('/etc/passwd'), image(`${MEDIA}/media/a.png`)] }], { title: { t: 'MetaInlines', c: [image('/etc/shadow')] } }), MEDIA) as { blocks: Array<{ c: unknown[] }>; meta: Record<string, unknown> };
    assert.deepEqual(safe.blocks[0]?.c[0], { t: 'Span', c: [['', [], []], [{ t: 'Str', c: 'alt' }]] });
    assert.deepEqual(safe.blocks[0]?.c[1], image(`${MEDIA}/media/a.png`));
    assert.ok(!JSON.stringify(safe.meta).includes('/etc/shadow'));
  });

  it('drops raw HTML the epub writer would fetch from, and keeps other raw HTML', () => {
    const safe = safeDocument(doc([{ t: 'RawBlock', c: ['html', '<video poster="/etc/passwd">'] }, { t: 'RawBlock', c: ['html', '<IMG SRC = "/etc/passwd">'] }, { t: 'RawBlock', c: ['html', '<div class="note">'] }, { t: 'Para', c: [{ t: 'RawInline', c: ['html5', '<img src=x>'] }] }]), MEDIA) as { blocks: unknown[] };
    assert.deepEqual(safe.blocks, [{ t: 'Plain', c: [] }, { t: 'Plain', c: [] }, { t: 'RawBlock', c: ['html', '<div class="note">'] }, { t: 'Para', c: [{ t: 'Span', c: [['', [], []], []] }] }]);
  });

  it('keeps only descriptive metadata (no cover-image, css or other file names)', () => {
    const str = (s: string) => ({ t: 'MetaInlines', c: [{ t: 'Str', c: s }] });
    const safe = safeDocument(doc([], { title: str('T'), author: str('A'), 'cover-image': str('/etc/passwd'), css: str('/etc/passwd'), stylesheet: str('/etc/passwd') }), MEDIA) as { meta: Record<string, unknown>; 'pandoc-api-version': unknown };
    assert.deepEqual(Object.keys(safe.meta).sort(), ['author', 'title']);
    assert.deepEqual(safe['pandoc-api-version'], [1, 22, 2, 1]);
  });

  it('refuses what is not a pandoc document', () => {
    assert.throws(() => safeDocument({ nope: true }, MEDIA), /not a pandoc JSON document/);
  });
});
