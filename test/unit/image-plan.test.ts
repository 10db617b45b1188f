import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pagesProblem, parseSize, planImage, type ImageOperation, type ImageOptions, type ImagePlan } from '../../workers/converters/image/plan.js';
import { validateOptions } from '../../src/core/catalog/options.js';
import { IMAGE_OPTIONS } from '../../src/core/catalog/engines/image.js';

/** Options as the converter receives them: validated, defaults filled in. */
const options = (raw: Record<string, unknown> = {}): ImageOptions => validateOptions(IMAGE_OPTIONS, raw, 'test').values;

const ops = (plan: ImagePlan): string[] => plan.operations.map((o) => o.op);
const find = <K extends ImageOperation['op']>(plan: ImagePlan, op: K): Extract<ImageOperation, { op: K }> | undefined =>
  plan.operations.find((o): o is Extract<ImageOperation, { op: K }> => o.op === op);

describe('parseSize', () => {
  it('parses WIDTHxHEIGHT, WIDTHx and xHEIGHT', () => {
    assert.deepEqual(parseSize('800x600'), { width: 800, height: 600 });
    assert.deepEqual(parseSize('800x'), { width: 800, height: undefined });
    assert.deepEqual(parseSize('x600'), { width: undefined, height: 600 });
  });
});

describe('planImage: defaults', () => {
  it('png with defaults: auto-orient and keep metadata, one page, png encoder', () => {
    const plan = planImage(options(), 'png', 1);
    assert.deepEqual(ops(plan), ['autoOrient', 'keepMetadata']);
    assert.deepEqual(plan.encoder, { format: 'png' });
    assert.equal(plan.pages, 'single');
    assert.equal(plan.density, undefined);
    assert.equal(plan.extension, 'png');
  });

  it('auto_orient=false drops the autoOrient step', () => {
    assert.equal(find(planImage(options({ auto_orient: false }), 'png', 1), 'autoOrient'), undefined);
  });

  it('passes density through', () => {
    assert.equal(planImage(options({ density: '300' }), 'png', 1).density, 300);
  });
});

describe('planImage: rotate', () => {
  it('adds a rotation', () => {
    assert.deepEqual(find(planImage(options({ rotate: '90' }), 'png', 1), 'rotate'), { op: 'rotate', degrees: 90 });
    assert.deepEqual(find(planImage(options({ rotate: '-45' }), 'png', 1), 'rotate'), { op: 'rotate', degrees: -45 });
  });
  for (const degrees of ['0', '360', '-360']) {
    it(`drops rotate=${degrees}`, () => {
      assert.equal(find(planImage(options({ rotate: degrees }), 'png', 1), 'rotate'), undefined);
    });
  }
  it('rotates after auto-orienting', () => {
    const names = ops(planImage(options({ rotate: '90' }), 'png', 1));
    assert.ok(names.indexOf('autoOrient') < names.indexOf('rotate'));
  });
});

describe('planImage: resize', () => {
  it('no resize step without resize', () => {
    assert.equal(find(planImage(options({ resizemode: 'exact' }), 'png', 1), 'resize'), undefined);
  });
  it('maximum (the default) → inside, without enlargement', () => {
    assert.deepEqual(find(planImage(options({ resize: '800x600' }), 'png', 1), 'resize'), {
      op: 'resize', width: 800, height: 600, fit: 'inside', withoutEnlargement: true,
    });
  });
  it('minimum → outside', () => {
    assert.equal(find(planImage(options({ resize: '800x600', resizemode: 'minimum' }), 'png', 1), 'resize')?.fit, 'outside');
  });
  it('exact → fill', () => {
    assert.equal(find(planImage(options({ resize: '800x600', resizemode: 'exact' }), 'png', 1), 'resize')?.fit, 'fill');
  });
  it('resizeenlarge allows enlarging', () => {
    assert.equal(find(planImage(options({ resize: '800x', resizeenlarge: 'true' }), 'png', 1), 'resize')?.withoutEnlargement, false);
  });
  it('keeps one side open', () => {
    const resize = find(planImage(options({ resize: 'x600' }), 'png', 1), 'resize');
    assert.equal(resize?.width, undefined);
    assert.equal(resize?.height, 600);
  });
});

describe('planImage: colour and metadata', () => {
  it('grayscale adds a grayscale step', () => {
    assert.ok(find(planImage(options({ grayscale: '1' }), 'png', 1), 'grayscale'));
    assert.equal(find(planImage(options(), 'png', 1), 'grayscale'), undefined);
  });
  it('jpg output gets a white flatten, other outputs do not', () => {
    assert.deepEqual(find(planImage(options(), 'jpg', 1), 'flatten'), { op: 'flatten', background: '#ffffff' });
    for (const format of ['png', 'webp', 'gif', 'tiff', 'avif'] as const) assert.equal(find(planImage(options(), format, 1), 'flatten'), undefined, format);
  });
  it('strip_metatags=true drops keepMetadata; false keeps it', () => {
    assert.equal(find(planImage(options({ strip_metatags: 'true' }), 'png', 1), 'keepMetadata'), undefined);
    assert.ok(find(planImage(options({ strip_metatags: 'false' }), 'png', 1), 'keepMetadata'));
  });
});

describe('planImage: pages', () => {
  for (const format of ['png', 'jpg', 'avif'] as const) {
    it(`a multi-page input to ${format} gives one output per page`, () => {
      assert.equal(planImage(options(), format, 3).pages, 'each');
    });
  }
  for (const format of ['gif', 'webp', 'tiff'] as const) {
    it(`a multi-page input to ${format} stays animated`, () => {
      assert.equal(planImage(options(), format, 3).pages, 'animated');
    });
  }
  it('a single page is single for every output', () => {
    for (const format of ['png', 'jpg', 'gif', 'webp', 'tiff', 'avif'] as const) assert.equal(planImage(options(), format, 1).pages, 'single', format);
  });
});

describe('planImage: encoder', () => {
  it('passes quality to jpg (as jpeg), webp, avif and tiff', () => {
    const quality = options({ quality: '42' });
    assert.deepEqual(planImage(quality, 'jpg', 1).encoder, { format: 'jpeg', quality: 42 });
    assert.deepEqual(planImage(quality, 'webp', 1).encoder, { format: 'webp', quality: 42 });
    assert.deepEqual(planImage(quality, 'avif', 1).encoder, { format: 'avif', quality: 42 });
    assert.deepEqual(planImage(quality, 'tiff', 1).encoder, { format: 'tiff', quality: 42 });
  });
  it('leaves quality undefined (the encoder default) when not given', () => {
    assert.deepEqual(planImage(options(), 'jpg', 1).encoder, { format: 'jpeg', quality: undefined });
  });
  it('png and gif encoders take no quality', () => {
    const quality = options({ quality: '42' });
    assert.deepEqual(planImage(quality, 'png', 1).encoder, { format: 'png' });
    assert.deepEqual(planImage(quality, 'gif', 1).encoder, { format: 'gif' });
  });
  it('the extension is the output format', () => {
    assert.equal(planImage(options(), 'jpg', 1).extension, 'jpg');
  });
});

describe('pagesProblem: multi-page inputs', () => {
  const limits = { maxPages: 500, maxPixels: 1_000_000 };
  const gif = (pages: number, width = 100, height = 100) => ({ pages, width, height, sequential: true });
  const tiff = (pages: number, width = 100, height = 100) => ({ pages, width, height, sequential: false });

  it('lets single images and multi-page inputs within both limits through', () => {
    assert.equal(pagesProblem(gif(1, 5000, 5000), 'single', limits), undefined);
    assert.equal(pagesProblem(gif(100), 'each', limits), undefined);
    assert.equal(pagesProblem(tiff(500), 'animated', { ...limits, maxPixels: 5_000_000 }), undefined);
  });
  it('refuses more pages than IMAGE_MAX_PAGES, naming both counts, whatever the output', () => {
    // A 50 kB GIF of 2000 frames gave 2000 output files.
    for (const mode of ['each', 'animated'] as const) {
      assert.match(pagesProblem(gif(2000, 10, 10), mode, limits) ?? '', /^The image has 2000 pages or frames; this server converts at most 500 \(IMAGE_MAX_PAGES\)/);
    }
    assert.match(pagesProblem(tiff(501, 1, 1), 'each', limits) ?? '', /501 pages/);
  });
  it('bounds all frames together for animations and GIF/WebP pages, not for TIFF pages one by one', () => {
    assert.match(pagesProblem(tiff(101), 'animated', limits) ?? '', /101 frames of 100x100 pixels, 1010000 in all, more than the limit of 1000000 \(MAX_IMAGE_PIXELS\)/);
    assert.match(pagesProblem(gif(101), 'each', limits) ?? '', /1010000 in all/);
    assert.equal(pagesProblem(tiff(101), 'each', limits), undefined);
  });
});
