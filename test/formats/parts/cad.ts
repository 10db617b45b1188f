// The format matrix's CAD part: a DXF drawing made by ezdxf (python3-ezdxf) at test time, with a
// line on a layer of its own, a circle, an arc and a text. Its outputs (pdf, svg, png, jpg) are
// checked by the parts that own those formats; test/integration/cad.test.ts proves the drawing.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FormatPart } from '../types.js';

const run = promisify(execFile);

/** The drawing: 100 x 50 units, a red WALLS layer, a circle of radius 20 with an arc inside, "HELLO". */
export const DXF_SCRIPT = `
import sys, ezdxf
doc = ezdxf.new('R2010', setup=True)
doc.layers.add('WALLS', color=1)
msp = doc.modelspace()
msp.add_line((0, 0), (100, 0), dxfattribs={'layer': 'WALLS'})
msp.add_line((100, 0), (100, 50))
msp.add_circle((50, 25), 20)
msp.add_arc((50, 25), 10, 0, 180)
msp.add_text('HELLO', dxfattribs={'height': 5}).set_placement((10, 40))
doc.saveas(sys.argv[1])
`;

/** Writes the sample drawing with the system Python (ezdxf is a Debian package, not in a virtualenv). */
export async function makeDxf(file: string): Promise<string> {
  await run('/usr/bin/python3', ['-c', DXF_SCRIPT, file]);
  return file;
}

export const CAD_PART: FormatPart = {
  name: 'cad',
  samples: { dxf: (dir) => makeDxf(path.join(dir, 'drawing.dxf')) },
  checks: {},
  optionSamples: { cad: { input: 'dxf', output: 'png', options: { width: 400, scale: 0.5, text_scale: 2, encoding: 'utf_8' } } },
  tools: ['inkscape'],
};
