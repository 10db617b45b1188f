// The raster engine beyond sharp (ImageMagick, with libheif for HEIF, libjxl's cjxl/djxl for JPEG
// XL, LibRaw's dcraw_emu for camera RAW and Ghostscript for EPS): the formats sharp cannot read or write. It lists only
// pairs with at least one such format, so sharp keeps png/jpg/webp/gif/tiff/avif among themselves.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';
import { IMAGE_OPTIONS } from './image.js';

/** Formats ImageMagick itself reads (a coder each). */
export const MAGICK_READS = ['bmp', 'ico', 'cur', 'psd', 'tga', 'pcx', 'ppm', 'pgm', 'pbm', 'pnm', 'xbm', 'xpm', 'exr', 'hdr', 'dds', 'jp2', 'j2k', 'heif', 'sgi', 'ras', 'wbmp', 'pam', 'pfm', 'xwd', 'fits', 'miff', 'mng', 'jng', 'pict', 'viff'] as const;
/** Inputs no other engine reads: ImageMagick's, plus JPEG XL (djxl), DNG (dcraw_emu) and svgz (gunzipped, drawn by librsvg). */
export const EXTRA_IMAGE_INPUTS = [...MAGICK_READS, 'jxl', 'dng', 'svgz'] as const;
/** Outputs no other engine writes. */
export const EXTRA_IMAGE_OUTPUTS = ['bmp', 'ico', 'psd', 'tga', 'pcx', 'ppm', 'pgm', 'pbm', 'pnm', 'xbm', 'xpm', 'exr', 'hdr', 'dds', 'jp2', 'j2k', 'jxl', 'heif', 'sgi', 'ras', 'wbmp', 'pam', 'pfm', 'xwd', 'fits', 'miff', 'mng', 'jng', 'pict', 'viff'] as const;
/** The formats sharp reads and writes: inputs to the new outputs, and outputs of the new inputs. */
const SHARP_RASTER = ['png', 'jpg', 'webp', 'gif', 'tiff', 'avif'] as const;

export const MAGICK_OPTIONS = {
  quality: { ...IMAGE_OPTIONS.quality, description: 'Compression quality for jpg, webp, avif, heif, jp2, j2k, jng and jxl (null: the encoder default).' },
  resize: IMAGE_OPTIONS.resize,
  resizemode: IMAGE_OPTIONS.resizemode,
  resizeenlarge: IMAGE_OPTIONS.resizeenlarge,
  rotate: IMAGE_OPTIONS.rotate,
  grayscale: IMAGE_OPTIONS.grayscale,
  strip_metatags: IMAGE_OPTIONS.strip_metatags,
} as const satisfies OptionSpecs;

/** eps input: Ghostscript draws it first, at this density. */
export const EPS_DENSITY_DEFAULT = 150;
const EPS_OPTIONS = {
  ...MAGICK_OPTIONS,
  density: { type: 'integer', min: 1, max: 2400, default: EPS_DENSITY_DEFAULT, description: 'eps input: rendering density in DPI (a drawing of W inches becomes W * density pixels wide).' },
} as const satisfies OptionSpecs;

const FIRST_IMAGE = 'Multi-image inputs (icon sizes, PSD layers, GIF frames, TIFF pages) give their first image; PSD its flattened composite. ico output is scaled to fit 256x256; fits output is greyscale, wbmp black and white.';

export const MAGICK_ENGINE = {
  convert: {
    options: EPS_OPTIONS,
    pairs: [
      { inputs: EXTRA_IMAGE_INPUTS, outputs: [...SHARP_RASTER, ...EXTRA_IMAGE_OUTPUTS], options: MAGICK_OPTIONS, note: FIRST_IMAGE },
      { inputs: [...SHARP_RASTER, 'svg'], outputs: EXTRA_IMAGE_OUTPUTS, options: MAGICK_OPTIONS, note: FIRST_IMAGE },
      // eps → png stays with Inkscape (the vector engine); Ghostscript draws the other rasters.
      { inputs: ['eps'], outputs: [...SHARP_RASTER.filter((f) => f !== 'png'), ...EXTRA_IMAGE_OUTPUTS], options: EPS_OPTIONS, note: 'The first page, cropped to the EPS bounding box, drawn by Ghostscript at density DPI on a transparent background (white for jpg).' },
    ],
  },
  info: { inputs: MAGICK_READS, options: {} },
} as const satisfies EngineCatalog;
