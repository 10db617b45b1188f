// The PDF tools' pure parts: page ranges checked against the page count, qpdf, Ghostscript and
// ocrmypdf arguments, the password argument file, and the v2 check that takes passwords out of
// the stored payload and seals them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PdfTool, PdfToolOptions } from '../../src/core/catalog/engines/pdf-tools.js';
import { resolvePdfToolPlan } from '../../src/core/catalog/resolve.js';
import { isAppError } from '../../src/core/errors.js';
import { InvalidDataError } from '../../src/core/v2/operations/types.js';
import { PDF_TOOL_HANDLERS } from '../../src/core/v2/operations/pdf-tools.js';
import * as cmd from '../../workers/converters/pdftools/command.js';

const optionsOf = <T extends PdfTool>(tool: T, options: Record<string, unknown> = {}): PdfToolOptions[T] => resolvePdfToolPlan(tool, 'pdf', options).options as PdfToolOptions[T];
const CONTEXT = { allowPrivateUrls: false, commandEnabled: false, maxBytes: 1e9 };

describe('page ranges', () => {
  it('expands ranges in the order given', () => {
    assert.deepEqual(cmd.parsePages('2-3', 3), [2, 3]);
    assert.deepEqual(cmd.parsePages('3,1-2', 5), [3, 1, 2]);
  });

  it('refuses pages beyond the count or descending ranges, naming pages and the count', () => {
    for (const spec of ['2-9', '0', '3-2', '4']) {
      assert.throws(() => cmd.parsePages(spec, 3), (e: unknown) => isAppError(e) && e.code === 'INVALID_OPTION' && /pages ".*" .*3 pages/.test(e.message), spec);
    }
  });
});

describe('qpdf arguments', () => {
  it('extracts, rotates relative to the current rotation, splits and counts', () => {
    assert.deepEqual(cmd.buildExtractArgs('/j/in.pdf', '/j/out.pdf', [2, 3]), ['/j/in.pdf', '--pages', '.', '2,3', '--', '/j/out.pdf']);
    assert.deepEqual(cmd.buildRotateArgs('/j/in.pdf', '/j/out.pdf', '90', [1, 3]), ['/j/in.pdf', '/j/out.pdf', '--rotate=+90:1,3']);
    assert.deepEqual(cmd.buildRotateArgs('/j/in.pdf', '/j/out.pdf', '-90', null), ['/j/in.pdf', '/j/out.pdf', '--rotate=-90']);
    assert.deepEqual(cmd.buildSplitArgs('/j/in.pdf', '/j/split/page-%d.pdf'), ['--split-pages', '/j/in.pdf', '/j/split/page-%d.pdf']);
    assert.equal(cmd.splitPageNumber('page-07.pdf'), 7);
    assert.equal(cmd.splitPageNumber('other.pdf'), undefined);
    assert.equal(cmd.parsePageCount('12\n'), 12);
    assert.equal(cmd.parsePageCount('oops'), undefined);
  });

  it('puts passwords in the argument file only, with the permissions asked for', () => {
    const file = cmd.encryptArgfile('/j/in.pdf', '/j/out.pdf', { password: 'open me' }, optionsOf('encrypt', { allow_print: false, allow_copy: 'false' }));
    assert.deepEqual(file.split('\n'), ['/j/in.pdf', '/j/out.pdf', '--encrypt', 'open me', 'open me', '256', '--print=none', '--extract=n', '--modify=all', '--', '']);
    const owner = cmd.encryptArgfile('/j/in.pdf', '/j/out.pdf', { password: '', ownerPassword: 'boss' }, optionsOf('encrypt'));
    assert.deepEqual(owner.split('\n').slice(3, 5), ['', 'boss']);
    assert.throws(() => cmd.encryptArgfile('/a', '/b', { password: 'a\nb' }, optionsOf('encrypt')), /line breaks/);
    assert.deepEqual(cmd.buildDecryptArgs('/j/in.pdf', '/j/out.pdf', '/j/secret/password'), ['--password-file=/j/secret/password', '--decrypt', '/j/in.pdf', '/j/out.pdf']);
    assert.ok(cmd.saysWrongPassword('qpdf: /j/in.pdf: invalid password'));
  });
});

describe('PDF/A, PDF/X and OCR arguments', () => {
  it('writes the chosen PDF/A part with the ICC profile readable and the definition before the input', () => {
    const args = cmd.buildPdfaArgs('/j/def.ps', '/j/in.pdf', '/j/out.pdf', optionsOf('pdfa', { conformance_level: '3b' }).conformance_level ?? '2b', '/icc/srgb.icc');
    assert.ok(args.includes('-dPDFA=3') && args.includes('--permit-file-read=/icc/srgb.icc') && args.includes('-dSAFER'));
    assert.deepEqual(args.slice(-2), ['/j/def.ps', '/j/in.pdf']);
    assert.match(cmd.pdfaDefinition('/icc/srgb.icc'), /\/ICCProfile \(\/icc\/srgb.icc\) def[\s\S]*\/OutputIntents/);
    assert.throws(() => cmd.pdfaDefinition('/icc/a) b.icc'), /PDFA_ICC_PROFILE/);
  });

  it('writes PDF/X-3 in CMYK: the CMYK profile readable, a GTS_PDFX OutputIntent of 4 components and the Info keys PDF/X needs', () => {
    const args = cmd.buildPdfxArgs('/j/def.ps', '/j/in.pdf', '/j/out.pdf', '/icc/cmyk.icc');
    assert.ok(args.includes('-dPDFX') && args.includes('-sColorConversionStrategy=CMYK') && args.includes('--permit-file-read=/icc/cmyk.icc') && args.includes('-dSAFER'));
    assert.deepEqual(args.slice(-2), ['/j/def.ps', '/j/in.pdf']);
    const definition = cmd.pdfxDefinition('/icc/cmyk.icc', optionsOf('pdfx').conformance_level ?? '3');
    assert.match(definition, /\/ICCProfile \(\/icc\/cmyk.icc\) def/);
    assert.match(definition, /\/Title \(Untitled\) \/GTS_PDFXVersion \(PDF\/X-3:2002\)[^\n]*\/Trapped \/False[^\n]*\/DOCINFO pdfmark/);
    assert.match(definition, /<< \/N 4 >>/);
    assert.match(definition, /\/S \/GTS_PDFX [^\n]*\/DestOutputProfile \{icc_PDFX\}[\s\S]*\/OutputIntents/);
    assert.throws(() => cmd.pdfxDefinition('/icc/a) b.icc', '3'), /PDFX_ICC_PROFILE/);
  });

  it('offers only the PDF/X part Ghostscript writes', () => {
    assert.throws(() => optionsOf('pdfx', { conformance_level: '4' }), (e: unknown) => isAppError(e) && e.code === 'INVALID_OPTION' && /conformance_level .*Valid values: one of 3\./.test(e.message));
  });

  it('runs ocrmypdf with one job, plain PDF output, the mode and language, and a DPI for images only', () => {
    const pdf = cmd.buildOcrArgs('/j/in.pdf', '/j/out.pdf', optionsOf('ocr'), false);
    assert.deepEqual(pdf, ['--output-type', 'pdf', '--jobs', '1', '--skip-text', '-l', 'eng', '--quiet', '/j/in.pdf', '/j/out.pdf']);
    const image = cmd.buildOcrArgs('/j/in.png', '/j/out.pdf', optionsOf('ocr', { ocr_mode: 'force_ocr', language: 'deu+eng', deskew: true, image_dpi: 200 }), true);
    assert.ok(image.includes('--force-ocr') && image.includes('deu+eng') && image.includes('--deskew') && image.join(' ').includes('--image-dpi 200'));
  });
});

describe('the v2 check of the PDF tools', () => {
  it('takes the passwords out of the stored payload and seals them', () => {
    const checked = PDF_TOOL_HANDLERS['pdf/encrypt'].check({ operation: 'pdf/encrypt', input: 'a', set_password: 'u-secret', set_owner_password: 'o-secret', allow_print: false }, CONTEXT);
    assert.equal(JSON.stringify(checked.payload).includes('secret'), false);
    assert.deepEqual(checked.secrets, { pdf: { password: 'u-secret', ownerPassword: 'o-secret' } });
    const decrypt = PDF_TOOL_HANDLERS['pdf/decrypt'].check({ operation: 'pdf/decrypt', input: 'a', password: 'p-secret' }, CONTEXT);
    assert.equal(JSON.stringify(decrypt.payload).includes('p-secret'), false);
    assert.deepEqual(decrypt.secrets, { pdf: { password: 'p-secret' } });
    assert.equal(PDF_TOOL_HANDLERS['pdf/split-pages'].check({ operation: 'pdf/split-pages', input: 'a' }, CONTEXT).secrets, undefined);
  });

  it('names each bad field, and never echoes a password in the message', () => {
    try {
      PDF_TOOL_HANDLERS['pdf/encrypt'].check({ operation: 'pdf/encrypt', input: 'a', set_password: `x\n${'s'.repeat(10)}`, allow_copy: 'maybe' }, CONTEXT);
      assert.fail('expected a 422');
    } catch (error) {
      assert.ok(error instanceof InvalidDataError);
      assert.deepEqual(Object.keys(error.errors).sort(), ['allow_copy', 'set_password']);
      assert.equal(error.message.includes('ssssssssss'), false);
    }
  });
});
