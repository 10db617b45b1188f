// The CAD engine: DXF drawings read by Inkscape's DXF importer (dxf_input.py: lines, polylines,
// arcs, circles, ellipses, splines, text, dimensions, blocks, layers with their colours), then
// written by Inkscape (svg, pdf) and rendered by sharp (png, jpg), cropped to the drawing.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';

export const CAD_INPUTS = ['dxf'] as const;

/** How drawing units become lengths on the output (png/jpg then scale to `width`). */
export const CAD_VECTOR_OPTIONS = {
  scale: { type: 'number', min: 0.0001, max: 10_000, default: 1, description: 'Millimetres on the output per drawing unit: 1 draws a unit as 1 mm, 0.01 makes a 1:100 plot of a drawing in millimetres.' },
  text_scale: { type: 'number', min: 0.01, max: 100, default: 1, description: 'Factor applied to the height of every text.' },
  encoding: { type: 'enum', values: ['auto', 'utf_8', 'latin_1', 'cp1250', 'cp1252', 'cp932'], default: 'auto', description: 'Character encoding of the texts: auto reads the header (utf_8 from AutoCAD 2007 on, else the code page of $DWGCODEPAGE); the others force one.' },
} as const satisfies OptionSpecs;

export const CAD_RASTER_OPTIONS = {
  ...CAD_VECTOR_OPTIONS,
  width: { type: 'integer', min: 16, max: 20_000, default: 2000, description: 'png/jpg: width of the image in pixels; the height follows the drawing\'s proportions.' },
} as const satisfies OptionSpecs;

export const CAD_ENGINE = {
  convert: {
    options: CAD_RASTER_OPTIONS,
    pairs: [
      { inputs: CAD_INPUTS, outputs: ['svg', 'pdf'], options: CAD_VECTOR_OPTIONS, note: 'Model space as vectors, cropped to the drawing; layers become SVG groups with their colours.' },
      { inputs: CAD_INPUTS, outputs: ['png', 'jpg'], options: CAD_RASTER_OPTIONS, note: 'Model space on white, cropped to the drawing.' },
    ],
  },
} as const satisfies EngineCatalog;
