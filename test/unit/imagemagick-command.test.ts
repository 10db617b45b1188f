// The imagemagick engine's pure parts: its pairs in the catalog (only what sharp cannot do), the
// ImageMagick policy and arguments, the helpers' arguments and the header parsers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findConversionType, findInfoEngine, listConversionTypes, normalizeFormat } from '../../src/core/catalog/index.js';
import { AppError } from '../../src/core/errors.js';
import {
  buildCjxlArgs,
  buildDcrawArgs,
  buildEpsArgs,
  epsSize,
  buildIdentifyArgs,
  buildMagickArgs,
  magickPolicy,
  parseIdentify,
  parseJxlInfo,
  parseRawIdentify,
  resizeGeometry,
  toolMessage,
  type MagickOptions,
} from '../../workers/converters/imagemagick/command.js';

const DEFAULTS: MagickOptions = { quality: null, resize: null, resizemode: 'maximum', resizeenlarge: false, rotate: null, grayscale: false, strip_metatags: false, density: null };

describe('imagemagick engine in the catalog', () => {
  it('serves the formats sharp cannot, and leaves sharp its own pairs', () => {
    assert.equal(findConversionType('png', 'jpg')?.engine, 'sharp');
    assert.equal(findConversionType('svg', 'png')?.engine, 'sharp');
    for (const [input, output] of [['bmp', 'png'], ['png', 'bmp'], ['psd', 'jpg'], ['heif', 'jpg'], ['jpg', 'heif'], ['dng', 'tiff'], ['jxl', 'png'], ['png', 'jxl'], ['svgz', 'png'], ['svg', 'ico']] as const) {
      assert.equal(findConversionType(input, output)?.engine, 'imagemagick', `${input} → ${output}`);
    }
    const won = listConversionTypes().filter((t) => t.engine === 'imagemagick');
    const sharpOnly = new Set(['png', 'jpg', 'webp', 'gif', 'tiff', 'avif', 'svg']);
    assert.deepEqual(won.filter((t) => sharpOnly.has(t.inputformat) && sharpOnly.has(t.outputformat)), [], 'no pair of two sharp formats');
    assert.equal(findConversionType('heif', 'pdf'), undefined, 'heif → pdf is not listed (sharp cannot decode HEVC)');
  });

  it('reads heic as heif, and serves mode=info of the new inputs', () => {
    assert.equal(normalizeFormat('HEIC'), 'heif');
    assert.equal(findInfoEngine('heif'), 'imagemagick');
    assert.equal(findInfoEngine('bmp'), 'imagemagick');
    assert.equal(findInfoEngine('png'), 'sharp');
  });
});

describe('ImageMagick policy and arguments', () => {
  it('allows only the listed coders, no delegates, no @file expansion', () => {
    const policy = magickPolicy();
    assert.match(policy, /domain="coder" rights="none" pattern="\*"/);
    assert.match(policy, /domain="delegate" rights="none" pattern="\*"/);
    assert.match(policy, /domain="path" rights="none" pattern="@\*"/);
    const allowed = /rights="read\|write" pattern="\{([^}]*)\}"/.exec(policy)?.[1]?.split(',') ?? [];
    assert.ok(allowed.includes('BMP') && allowed.includes('HEIC'));
    for (const coder of ['TEXT', 'MSL', 'MVG', 'URL', 'HTTP', 'PS', 'EPS', 'PDF', 'SVG', 'EPHEMERAL']) assert.ok(!allowed.includes(coder), coder);
  });

  it('reads the first image by its coder and writes by the output coder', () => {
    assert.deepEqual(buildMagickArgs({ format: 'bmp', path: '/job/in' }, { format: 'png', path: '/job/out.png' }, DEFAULTS), ['BMP:/job/in[0]', '-auto-orient', 'PNG:/job/out.png']);
  });

  it('maps every option, in a fixed order', () => {
    const args = buildMagickArgs({ format: 'psd', path: '/job/in' }, { format: 'jpg', path: '/job/o.jpg' }, { ...DEFAULTS, quality: 70, resize: '800x600', resizemode: 'minimum', rotate: 90, grayscale: true, strip_metatags: true });
    assert.deepEqual(args, ['PSD:/job/in[0]', '-auto-orient', '-background', 'white', '-rotate', '90', '-resize', '800x600^>', '-colorspace', 'Gray', '-background', 'white', '-alpha', 'remove', '-alpha', 'off', '-strip', '-quality', '70', 'JPEG:/job/o.jpg']);
  });

  it('keeps quality for lossy outputs only, and fits icons in 256x256', () => {
    assert.ok(!buildMagickArgs({ format: 'png', path: '/a' }, { format: 'bmp', path: '/b' }, { ...DEFAULTS, quality: 50 }).includes('-quality'));
    assert.deepEqual(buildMagickArgs({ format: 'png', path: '/a' }, { format: 'ico', path: '/b' }, DEFAULTS).slice(2, 4), ['-resize', '256x256>']);
    assert.deepEqual(buildMagickArgs({ format: 'gif', path: '/a' }, { format: 'psd', path: '/b' }, DEFAULTS).slice(2, 4), ['-type', 'TrueColorAlpha']);
  });

  it('serves the second round of raster formats with their own coders, and mends what ImageMagick 6 writes badly', () => {
    for (const format of ['sgi', 'ras', 'wbmp', 'pam', 'pfm', 'xwd', 'fits', 'miff', 'mng', 'jng', 'pict', 'viff'] as const) {
      assert.equal(findConversionType(format, 'png')?.engine, 'imagemagick', `${format} → png`);
      assert.equal(findConversionType('png', format)?.engine, 'imagemagick', `png → ${format}`);
      assert.equal(findInfoEngine(format), 'imagemagick');
    }
    assert.equal(normalizeFormat('sun'), 'ras');
    assert.equal(normalizeFormat('pct'), 'pict');
    const allowed = /rights="read\|write" pattern="\{([^}]*)\}"/.exec(magickPolicy())?.[1]?.split(',') ?? [];
    for (const coder of ['SUN', 'PICT', 'MNG', 'JNG', 'FITS', 'MIFF']) assert.ok(allowed.includes(coder), coder);
    for (const coder of ['PALM', 'OTB', 'PICON', 'MAP', 'RGB']) assert.ok(!allowed.includes(coder), coder);
    assert.deepEqual(buildMagickArgs({ format: 'wbmp', path: '/a' }, { format: 'viff', path: '/b' }, DEFAULTS), ['WBMP:/a[0]', '-auto-orient', '-type', 'TrueColor', 'VIFF:/b']);
    assert.deepEqual(buildMagickArgs({ format: 'pfm', path: '/a' }, { format: 'jp2', path: '/b' }, DEFAULTS), ['PFM:/a[0]', '-auto-orient', '-depth', '16', 'JP2:/b']);
    assert.deepEqual(buildMagickArgs({ format: 'hdr', path: '/a' }, { format: 'pfm', path: '/b' }, DEFAULTS), ['HDR:/a[0]', '-auto-orient', '+set', 'comment', 'PFM:/b']);
    assert.ok(buildMagickArgs({ format: 'png', path: '/a' }, { format: 'jng', path: '/b' }, { ...DEFAULTS, quality: 60 }).includes('-quality'));
  });

  it('refuses relative paths (they could read as options)', () => {
    assert.throws(() => buildMagickArgs({ format: 'bmp', path: '-write' }, { format: 'png', path: '/b' }, DEFAULTS));
    assert.throws(() => buildDcrawArgs('in.dng', '/b'));
    assert.throws(() => buildIdentifyArgs({ format: 'bmp', path: 'x' }));
  });

  it('turns resize modes into geometries', () => {
    assert.equal(resizeGeometry('800x600', 'maximum', false), '800x600>');
    assert.equal(resizeGeometry('800x600', 'exact', true), '800x600!');
    assert.equal(resizeGeometry('800x', 'exact', true), '800x');
    assert.equal(resizeGeometry('x600', 'minimum', false), 'x600>');
    assert.throws(() => resizeGeometry('0x600', 'maximum', false), (e: unknown) => e instanceof AppError && e.code === 'INVALID_OPTION');
  });

  it('passes quality to cjxl only when given', () => {
    assert.deepEqual(buildCjxlArgs('/a.png', '/b.jxl', null), ['/a.png', '/b.jxl']);
    assert.deepEqual(buildCjxlArgs('/a.png', '/b.jxl', 80), ['/a.png', '/b.jxl', '-q', '80']);
  });
});

describe('eps through Ghostscript', () => {
  it('reads the bounding box (hi-res first) and refuses a missing or empty one', () => {
    assert.deepEqual(epsSize('%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 50\n%%HiResBoundingBox: 0.5 0 100.5 50.25\n'), { width: 100, height: 50.25 });
    assert.deepEqual(epsSize('%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 10 20 110 70\n'), { width: 100, height: 50 });
    assert.equal(epsSize('%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: (atend)\n'), undefined);
    assert.equal(epsSize('%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 0 0\n'), undefined);
  });
  it('runs Ghostscript safe, cropped, one page', () => {
    const args = buildEpsArgs('/job/in', '/job/out.png', 300);
    for (const arg of ['-dSAFER', '-dEPSCrop', '-r300', '-dLastPage=1', '-sOutputFile=/job/out.png']) assert.ok(args.includes(arg), arg);
    assert.equal(args.at(-1), '/job/in');
  });
  it('serves eps → jpg and bmp, and leaves eps → png to Inkscape', () => {
    assert.equal(findConversionType('eps', 'jpg')?.engine, 'imagemagick');
    assert.equal(findConversionType('eps', 'bmp')?.engine, 'imagemagick');
    assert.equal(findConversionType('eps', 'png')?.engine, 'inkscape');
  });
});

describe('header parsers', () => {
  it('reads identify lines (one per image)', () => {
    assert.deepEqual(parseIdentify('ICO|64|48|sRGB|8|DirectClass sRGBAlpha\nICO|16|16|sRGB|8|DirectClass sRGBAlpha\n'), { format: 'ICO', width: 64, height: 48, colorspace: 'sRGB', depth: 8, images: 2, alpha: true });
    assert.equal(parseIdentify(''), undefined);
    assert.equal(parseIdentify('BMP|x|y|||'), undefined);
  });

  it('reads jxlinfo and raw-identify sizes', () => {
    assert.deepEqual(parseJxlInfo('JPEG XL image, 64x48, lossy, 16-bit RGB\n'), { width: 64, height: 48 });
    assert.equal(parseJxlInfo('Error'), undefined);
    assert.deepEqual(parseRawIdentify('Full size:     64 x 48\nImage size:    64 x 48\nOutput size:   48 x 64\n'), { width: 48, height: 64 });
    assert.equal(parseRawIdentify('Cannot decode file'), undefined);
  });

  it("shortens ImageMagick's messages", () => {
    const stderr = "convert-im6.q16: improper image header `/tmp/job/imagemagick-input' @ error/bmp.c/ReadBMPImage/843.\nconvert-im6.q16: no images defined `PNG:/tmp/out.png' @ error/convert.c/ConvertImageCommand/3234.\n";
    assert.equal(toolMessage(stderr), 'improper image header');
  });
});
