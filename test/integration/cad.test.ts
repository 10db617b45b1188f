// The CAD engine through the API: a DXF drawn by ezdxf (a red WALLS line along the bottom, a line
// up the right side, a circle with an arc inside, "HELLO") comes out as svg, pdf, png and jpg with
// each entity where it was drawn; bad input and limits end in clear 422s, bad options in 400s.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { auth, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';
import { makeDxf } from '../formats/parts/cad.js';

const run = promisify(execFile);

/** The drawing spans 100 x 50 units (1 mm each by default); outputs add a margin of a few mm on each side. */
const DRAWING = { width: 100, height: 50 };
/** The margin (in drawing units) that makes an output of this size: (100 + 2m) / (50 + 2m) = width / height. */
const marginOf = (width: number, height: number): number => (DRAWING.width * height - DRAWING.height * width) / (2 * (width - height));

describe('cad engine (Inkscape\'s DXF importer) through the API', () => {
  let server: TestServer;
  let dir: string;
  let dxf: string;
  before(async () => {
    await requireTools(['inkscape', 'mutool']);
    await run('/usr/bin/python3', ['-c', 'import ezdxf, lxml, cssselect']).catch(() => {
      throw new Error('python3-ezdxf, python3-lxml or python3-cssselect is not installed: run bash scripts/setup.sh (apt-get install python3-ezdxf python3-lxml python3-cssselect)');
    });
    await run('/usr/bin/python3', ['-c', 'import os; assert os.path.exists("/usr/share/inkscape/extensions/dxf_input.py")']).catch(() => {
      throw new Error("Inkscape's DXF importer (/usr/share/inkscape/extensions/dxf_input.py) is missing: run bash scripts/setup.sh (apt-get install inkscape)");
    });
    server = await startTestServer({ env: { MAX_IMAGE_PIXELS: '4000000' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-cad-'));
    dxf = await makeDxf(path.join(dir, 'drawing.dxf'));
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const convert = (file: string, outputformat: string, converteroptions?: Record<string, unknown>) => convertFile(server, file, { inputformat: 'dxf', outputformat, ...(converteroptions === undefined ? {} : { converteroptions }) }, dir);

  it('draws lines, circle, arc and text where they are, the WALLS layer in red (png)', async () => {
    const { status, files } = await convert(dxf, 'png', { width: 1043 });
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const { data, info } = await sharp(files[0] ?? '').removeAlpha().raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.width, 1043);
    const margin = marginOf(info.width, info.height);
    assert.ok(margin > 1 && margin < 5, `a margin of a few mm around the drawing, in its proportions (${info.width}x${info.height}: ${margin} mm)`);
    const perMm = info.width / (DRAWING.width + 2 * margin);
    // Drawing units → pixels: x from the left, y from the top (the drawing's y goes up).
    const px = (x: number): number => Math.round((x + margin) * perMm);
    const py = (y: number): number => Math.round((DRAWING.height + margin - y) * perMm);
    const rgb = (x: number, y: number): number[] => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    const ink = (x: number, y: number): boolean => rgb(x, y).some((c) => c < 200);
    // Down the middle column (x = 50): circle top (45), arc top (35), circle bottom (5), the red line (0).
    let runs = 0;
    for (let y = 1, inRun = false; y < info.height; y++) {
      const dark = ink(px(50), y);
      if (dark && !inRun) runs++;
      inRun = dark;
    }
    assert.equal(runs, 4, 'circle top, arc top, circle bottom and the bottom line cross the middle column');
    assert.ok(!ink(px(50), py(25)), 'the circle\'s centre stays blank');
    const red = [-3, -2, -1, 0, 1, 2, 3].map((d) => rgb(px(25), py(0) + d)).find(([r, g, b]) => (r ?? 0) > 180 && (g ?? 255) < 100 && (b ?? 255) < 100);
    assert.ok(red !== undefined, 'the WALLS line is red');
    assert.ok(ink(px(100), py(25)), 'the right line');
    let text = 0;
    for (let y = py(46); y < py(39); y++) for (let x = px(9); x < px(30); x++) if (ink(x, y)) text++;
    assert.ok(text > 100, `HELLO is drawn at (10, 40): ${text} inked pixels there`);
  });

  it('writes an svg with the entities as paths, the text as text and layers as groups', async () => {
    const { status, files } = await convert(dxf, 'svg');
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const svg = await readFile(files[0] ?? '', 'utf8');
    assert.ok((svg.match(/<path\b/g) ?? []).length >= 4, 'two lines, the circle and the arc');
    assert.match(svg, />HELLO</);
    assert.doesNotMatch(svg, /\/(tmp|job|var)\//, 'no path of the job\'s folder');
    assert.match(svg, /inkscape:label="WALLS"[\s\S]*?stroke:#FF0000/i);
    const viewBox = /viewBox="([^"]+)"/.exec(svg)?.[1]?.split(/\s+/).map(Number) ?? [];
    const pxPerMm = 96 / 25.4;
    const margin = marginOf((viewBox[2] ?? 0) / pxPerMm, (viewBox[3] ?? 1) / pxPerMm);
    assert.ok(margin > 1 && margin < 5, `cropped to the drawing and a few mm: ${viewBox.join(' ')}`);
  });

  it('writes a one-page pdf of the drawing\'s size with its text, and a jpg; scale shrinks the page', async () => {
    const { status, files } = await convert(dxf, 'pdf');
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const pdf = files[0] ?? '';
    const { stdout: text } = await run('mutool', ['draw', '-F', 'txt', pdf]);
    assert.match(text, /HELLO/);
    const { stdout: infoText } = await run('mutool', ['info', pdf]);
    assert.match(infoText, /Pages: 1\b/);
    const box = /\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(infoText)?.slice(1).map(Number) ?? [];
    const widthMm = (((box[2] ?? 0) - (box[0] ?? 0)) * 25.4) / 72;
    assert.ok(widthMm > 102 && widthMm < 110, `the page is the drawing and a few mm: ${widthMm} mm`);
    const half = await convert(dxf, 'pdf', { scale: 0.5 });
    const { stdout: halfInfo } = await run('mutool', ['info', half.files[0] ?? '']);
    const halfBox = /\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(halfInfo)?.slice(1).map(Number) ?? [];
    const halfMm = (((halfBox[2] ?? 0) - (halfBox[0] ?? 0)) * 25.4) / 72;
    assert.ok(halfMm > 52 && halfMm < 60, `scale 0.5 halves the drawing, the margin stays: ${halfMm} mm`);
    const jpg = await convert(dxf, 'jpg', { width: 300 });
    assert.equal(jpg.status.body['step'], 'finished', JSON.stringify(jpg.status.body));
    const meta = await sharp(jpg.files[0] ?? '').metadata();
    assert.deepEqual([meta.format, meta.width], ['jpeg', 300]);
  });

  it('refuses a file that is not an ASCII DXF, and an image over MAX_IMAGE_PIXELS, with 422s that say why', async () => {
    const notDxf = path.join(dir, 'notes.dxf');
    await writeFile(notDxf, 'These are my notes about the drawing, not the drawing.\n');
    const bad = await convert(notDxf, 'png');
    assert.equal(bad.status.status, 422, JSON.stringify(bad.status.body));
    assert.match(String(bad.status.body['message']), /not an ASCII DXF/);
    const binary = path.join(dir, 'binary.dxf');
    await writeFile(binary, Buffer.concat([Buffer.from('AutoCAD Binary DXF\r\n\x1a\0', 'latin1'), Buffer.alloc(64)]));
    const refused = await convert(binary, 'svg');
    assert.equal(refused.status.status, 422, JSON.stringify(refused.status.body));
    const tooBig = await convert(dxf, 'png', { width: 4000 });
    assert.equal(tooBig.status.status, 422, JSON.stringify(tooBig.status.body));
    assert.match(String(tooBig.status.body['message']), /4000x\d+ pixels.*MAX_IMAGE_PIXELS/);
  });

  it('answers 400 naming the option for a width or encoding out of its values', async () => {
    for (const [options, pattern] of [[{ width: 5 }, /width.*from 16 to 20000/], [{ encoding: 'ebcdic' }, /encoding.*one of auto, utf_8/], [{ scale: '1; rm -rf /' }, /scale/]] as const) {
      const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'dxf', outputformat: 'png' }, auth());
      const started = await postJson(server.abs(String(created.body['url'])), { input: 'upload', outputformat: 'png', converteroptions: options });
      assert.equal(started.status, 400, JSON.stringify(started.body));
      assert.match(String(started.body['message'] ?? started.body['error']), pattern);
    }
  });
});
