// The pure parts of watermark and metadata/write: tag checks, exiftool's arguments, page lists,
// watermark geometry, and the discovery table against the checks' vocabularies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FONT_ALIGNS, HORIZONTAL_POSITIONS, selectPages, VERTICAL_POSITIONS, WATERMARK_FONT_NAMES, WATERMARK_LAYERS } from '../../src/core/catalog/edit-plans.js';
import { checkMetadataTags, metadataTagProblem } from '../../src/core/catalog/metadata-tags.js';
import { WATERMARK_FIELDS } from '../../src/core/v2/discovery-edits.js';
import { buildReadArgs, buildWriteArgs, parseReadOutput, unwrittenTag } from '../../workers/converters/exiftool/command.js';
import { imageBox, placeBox, textSvg } from '../../workers/converters/watermark/layout.js';

describe('metadata tag checks', () => {
  it('accepts descriptive tags, with group prefixes and language suffixes', () => {
    for (const name of ['Author', 'Title', 'XMP-dc:Title', 'XMP:XMP-dc:Subject', 'Title-de', 'IPTC:Keywords', 'Comment']) assert.equal(metadataTagProblem(name), undefined, name);
  });
  it('refuses file-system, acting and unsafe tags, in any case and group', () => {
    for (const name of ['FileName', 'filename', 'Directory', 'FilePermissions', 'File:FileModifyDate', 'System:Anything', 'HardLink', 'SymLink', 'Geotag', 'ThumbnailImage', 'Compression', 'EXIF:BitsPerSample', 'MDItemFinderComment', 'XAttrQuarantine', 'all']) {
      assert.ok(metadataTagProblem(name) !== undefined, name);
    }
  });
  it('refuses names exiftool would read as syntax', () => {
    for (const name of ['-o', 'Title<=/etc/passwd', 'Title<Author', 'Title+', 'Title-', 'Title^', 'Title#', '*', 'Ti tle', 'A:B:C:Title', '', '@']) assert.ok(metadataTagProblem(name) !== undefined, name);
  });
  it('refuses values with control characters, too long, or of other types, and empty objects', () => {
    assert.ok('problems' in checkMetadataTags({ Title: 'a\nb' }));
    assert.ok('problems' in checkMetadataTags({ Title: 'a\u0000' }));
    assert.ok('problems' in checkMetadataTags({ Title: 'x'.repeat(2001) }));
    assert.ok('problems' in checkMetadataTags({ Title: ['a'] }));
    assert.ok('problems' in checkMetadataTags({ Rating: Number.NaN }));
    assert.ok('problems' in checkMetadataTags({}));
    assert.ok('problems' in checkMetadataTags('Title=x'));
    assert.deepEqual(checkMetadataTags({ Title: '-Directory=/tmp', Rating: 5 }), { tags: { Title: '-Directory=/tmp', Rating: '5' } });
  });
});

describe('exiftool arguments', () => {
  it('load no config file and keep every tag in one -NAME=VALUE argument before the input', () => {
    const args = buildWriteArgs('/job/in.jpg', '/job/out/in.jpg', { Title: '-Directory=/tmp', Author: 'Ann' });
    assert.deepEqual(args.slice(0, 2), ['-config', '']);
    assert.ok(args.includes('-Title=-Directory=/tmp'));
    assert.equal(args.at(-1), '/job/in.jpg');
    assert.equal(args[args.indexOf('-o') + 1], '/job/out/in.jpg');
    assert.deepEqual(buildReadArgs('/job/in.pdf').slice(0, 2), ['-config', '']);
    assert.ok(!buildReadArgs('/job/in.pdf').includes('-b'));
  });
  it('check the tags again', () => {
    assert.throws(() => buildWriteArgs('/a.jpg', '/b.jpg', { FileName: 'x' }), /cannot be written/);
    assert.throws(() => buildWriteArgs('/a.jpg', '/b.jpg', { Title: 'a\nb' }), /line breaks/);
    assert.throws(() => buildWriteArgs('a.jpg', '/b.jpg', { Title: 'x' }));
  });
  it('flatten the JSON, drop the local file tags and bound long values', () => {
    const out = parseReadOutput(JSON.stringify([{ SourceFile: '/job/in.jpg', Directory: '/job', FileName: 'in.jpg', Title: 't'.repeat(5000), PageCount: 2, Keywords: ['a', 'b'], Nested: { a: 1 } }]));
    assert.equal(out['SourceFile'], undefined);
    assert.equal(out['Directory'], undefined);
    assert.equal(out['PageCount'], 2);
    assert.equal(String(out['Title']).length, 1001);
    assert.deepEqual(out['Keywords'], ['a', 'b']);
    assert.equal(out['Nested'], '{"a":1}');
    assert.equal(unwrittenTag("Warning: Tag 'NoSuch' is not defined\n    0 image files updated"), "Tag 'NoSuch' is not defined");
    assert.equal(unwrittenTag('    1 image files created'), undefined);
  });
});

describe('watermark geometry', () => {
  const page = { width: 400, height: 200 };
  it('places a box at each position with its margins', () => {
    const box = { width: 100, height: 50 };
    assert.deepEqual(placeBox(page, box, { positionVertical: 'top', positionHorizontal: 'left', marginVertical: 10, marginHorizontal: 20 }), { left: 20, top: 10 });
    assert.deepEqual(placeBox(page, box, { positionVertical: 'bottom', positionHorizontal: 'right', marginVertical: 10, marginHorizontal: 20 }), { left: 280, top: 140 });
    assert.deepEqual(placeBox(page, box, { positionVertical: 'center', positionHorizontal: 'center', marginVertical: 10, marginHorizontal: 20 }), { left: 150, top: 75 });
  });
  it('sizes an image watermark by percent, by one side, or not at all, within the page', () => {
    const none = { imageWidth: null, imageHeight: null, imageWidthPercent: null };
    assert.deepEqual(imageBox(page, { width: 50, height: 25 }, none), { width: 50, height: 25 });
    assert.deepEqual(imageBox(page, { width: 50, height: 25 }, { ...none, imageWidthPercent: 50 }), { width: 200, height: 100 });
    assert.deepEqual(imageBox(page, { width: 50, height: 25 }, { ...none, imageHeight: 50 }), { width: 100, height: 50 });
    assert.deepEqual(imageBox(page, { width: 50, height: 50 }, { ...none, imageWidth: 1000 }), { width: 200, height: 200 });
  });
  it('escapes the text in the SVG', () => {
    const { svg } = textSvg({ text: '<script>&"x"', fontName: 'Arial', fontColor: '#ff0000', fontAlign: 'center' }, 20);
    assert.ok(!svg.includes('<script>'));
    assert.match(svg, /&lt;script&gt;&amp;&quot;x&quot;/);
    assert.match(svg, /font-family="Liberation Sans"/);
  });
  it('reads page lists', () => {
    assert.deepEqual(selectPages('1,3', 3), [1, 3]);
    assert.deepEqual(selectPages('2-', 4), [2, 3, 4]);
    assert.deepEqual(selectPages(null, 2), [1, 2]);
    assert.deepEqual(selectPages('5', 3), []);
    assert.equal(selectPages('1;rm', 3), undefined);
    assert.equal(selectPages('3-1', 3), undefined);
  });
});

describe('watermark discovery', () => {
  it('shows the same values the check accepts', () => {
    const values = (name: string): readonly string[] | undefined => WATERMARK_FIELDS.find((f) => f.name === name)?.possible_values;
    assert.deepEqual(values('layer'), WATERMARK_LAYERS);
    assert.deepEqual(values('position_vertical'), VERTICAL_POSITIONS);
    assert.deepEqual(values('position_horizontal'), HORIZONTAL_POSITIONS);
    assert.deepEqual(values('font_align'), FONT_ALIGNS);
    assert.deepEqual(values('font_name'), WATERMARK_FONT_NAMES);
  });
});

describe('watermark text rendering size', () => {
  it('keeps the asked size when it fits and bounds a huge text to a few times the page', async () => {
    const { renderSize } = await import('../../workers/converters/watermark/image.js');
    assert.equal(renderSize({ text: 'MARK', fontSize: 60 }, { width: 400, height: 200 }), 60);
    const huge = renderSize({ text: 'x'.repeat(1000), fontSize: 2000 }, { width: 400, height: 200 });
    assert.ok(huge * 1000 * 1.2 <= 4 * 400 + huge, `${huge}`);
  });
});
