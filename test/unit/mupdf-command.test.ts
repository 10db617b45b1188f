// The pure builders of the PDF engine: page selection, mutool arguments, output names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCleanArgs, buildImagesToPdfArgs, buildPageBoundsArgs, buildPageCountArgs, buildRenderArgs, buildRotateArgs, buildTextArgs, largestDensity, pageFileName, pagePixels, PageRangeError, parsePageBounds, PixelLimitError, planRender, selectPages } from '../../workers/converters/mupdf/command.js';

describe('selectPages', () => {
  it('selects every page without a range', () => {
    assert.deepEqual(selectPages(null, 3), [1, 2, 3]);
  });
  it('reads pages and ranges in order, without repeats', () => {
    assert.deepEqual(selectPages('3,1-2,2', 5), [3, 1, 2]);
    assert.deepEqual(selectPages('2-4', 4), [2, 3, 4]);
  });
  it('refuses pages past the end, page 0 and backwards ranges', () => {
    assert.throws(() => selectPages('2-5', 3), (e: unknown) => e instanceof PageRangeError && /page 5, but the PDF has 3 pages/.test(e.message));
    assert.throws(() => selectPages('0', 3), PageRangeError);
    assert.throws(() => selectPages('3-2', 3), PageRangeError);
    assert.throws(() => selectPages('2', 1), /has 1 page\./);
  });
});

describe('mutool arguments', () => {
  it('renders the selected pages at the density as PNG', () => {
    assert.deepEqual(buildRenderArgs('/in.pdf', '/out/page-%d.png', 144, [1, 3]), ['draw', '-q', '-r', '144', '-F', 'png', '-o', '/out/page-%d.png', '/in.pdf', '1,3']);
  });
  it('extracts text and reads the page count', () => {
    assert.deepEqual(buildTextArgs('/in.pdf', '/o.txt', [2]), ['draw', '-q', '-F', 'txt', '-o', '/o.txt', '/in.pdf', '2']);
    assert.deepEqual(buildPageCountArgs('/in.pdf'), ['show', '/in.pdf', 'trailer/Root/Pages/Count']);
  });
});

describe('pdf → pdf and images → pdf arguments', () => {
  it('passes the password to every reader', () => {
    assert.deepEqual(buildPageCountArgs('/in.pdf', 'pw'), ['show', '-p', 'pw', '/in.pdf', 'trailer/Root/Pages/Count']);
    assert.deepEqual(buildRenderArgs('/in.pdf', '/p-%d.png', 72, [1], 'pw').slice(0, 4), ['draw', '-q', '-p', 'pw']);
  });
  it('keeps pages, decrypts when opened with a password, encrypts with AES-256', () => {
    assert.deepEqual(buildCleanArgs('/a.pdf', '/b.pdf', [3, 1], null, null), ['clean', '-gg', '/a.pdf', '/b.pdf', '3,1']);
    assert.deepEqual(buildCleanArgs('/a.pdf', '/b.pdf', [1], 'old', null), ['clean', '-gg', '-p', 'old', '-D', '/a.pdf', '/b.pdf', '1']);
    assert.deepEqual(buildCleanArgs('/a.pdf', '/b.pdf', [1], null, 'new'), ['clean', '-gg', '-E', 'aes-256', '-U', 'new', '-O', 'new', '/a.pdf', '/b.pdf', '1']);
  });
  it('rotates with the script and converts images', () => {
    assert.deepEqual(buildRotateArgs('/s.mujs', '/a.pdf', '/b.pdf', '-90'), ['run', '/s.mujs', '/a.pdf', '/b.pdf', '-90']);
    assert.deepEqual(buildImagesToPdfArgs('/o.pdf', ['/a.png', '/b.jpg']), ['convert', '-o', '/o.pdf', '/a.png', '/b.jpg']);
  });
});

describe('pageFileName', () => {
  it('numbers pages only when there are several', () => {
    assert.equal(pageFileName('doc', 'png', 1, 1), 'doc.png');
    assert.equal(pageFileName('doc', 'jpg', 7, 3), 'doc-7.jpg');
  });
});

describe('rendering within MAX_IMAGE_PIXELS', () => {
  const LIMIT = 268_402_689; // the default MAX_IMAGE_PIXELS
  const page = (n: number, width: number, height: number) => ({ page: n, x0: 0, y0: 0, x1: width, y1: height });
  const HUGE = page(2, 14400, 14400); // the largest PDF page: 30000x30000 pixels at 150 dpi

  it('reads the page bounds mutool prints, and refuses anything else', () => {
    assert.deepEqual(buildPageBoundsArgs('/b.mujs', '/in.pdf', [3, 1], 'pw'), ['run', '/b.mujs', '/in.pdf', '3,1', 'pw']);
    assert.deepEqual(parsePageBounds('1 0 0 612 792\n3 -0.5 0 100 200.25\n'), [page(1, 612, 792), { page: 3, x0: -0.5, y0: 0, x1: 100, y1: 200.25 }]);
    assert.throws(() => parsePageBounds('warning: something\n'), /no page bounds/);
  });
  it('counts pixels as mutool draws them', () => {
    assert.deepEqual(pagePixels(page(1, 612, 792), 72), { width: 612, height: 792 });
    assert.deepEqual(pagePixels(page(1, 612, 792), 144), { width: 1224, height: 1584 });
    assert.deepEqual(pagePixels(HUGE, 150), { width: 30000, height: 30000 });
  });
  it('finds the largest density that fits', () => {
    assert.equal(largestDensity(HUGE, LIMIT, 150), 81); // 16200² fits, 16400² does not
    assert.ok(pagePixels(HUGE, 81).width ** 2 <= LIMIT && pagePixels(HUGE, 82).width ** 2 > LIMIT);
    assert.equal(largestDensity(page(1, 612, 792), LIMIT, 150), 150);
    assert.equal(largestDensity(HUGE, 100, 150), 0);
  });
  it('lowers the default density for the pages that need it only', () => {
    assert.deepEqual(planRender([page(1, 612, 792), HUGE, page(3, 612, 792)], null, 150, LIMIT), [{ density: 150, pages: [1, 3] }, { density: 81, pages: [2] }]);
    assert.deepEqual(planRender([page(1, 612, 792)], 300, 150, LIMIT), [{ density: 300, pages: [1] }]);
  });
  it('refuses a density the client gave that a page cannot take, naming the largest that fits', () => {
    assert.throws(() => planRender([page(1, 612, 792), HUGE], 150, 150, LIMIT), (e: unknown) => e instanceof PixelLimitError && e.optionProblem && /Page 2 would be 30000x30000 pixels at 150 dpi, more than the limit of 268402689 \(MAX_IMAGE_PIXELS\)\. Give converteroptions\[density\] = 81 or less/.test(e.message));
    assert.throws(() => planRender([HUGE], 150, 150, 1_000_000), (e: unknown) => e instanceof PixelLimitError && e.optionProblem && /Leave converteroptions\[density\] out/.test(e.message));
  });
  it('refuses a page too large at any density', () => {
    assert.throws(() => planRender([HUGE], null, 150, 100), (e: unknown) => e instanceof PixelLimitError && !e.optionProblem && /at any density/.test(e.message));
  });
});
