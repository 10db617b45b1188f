// The second round of office formats: LibreOffice's named filters for templates, DIF and SYLK,
// Draw for the drawing template (and a PDF read into one), and the signatures of the new inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signatureOf } from '../../src/core/catalog/formats.js';
import { matchesSignature } from '../../src/core/file-signatures.js';
import { buildConvertRequest } from '../../workers/converters/libreoffice/command.js';

const NO_OPTIONS = { password: null, page_range: null, pdf_a: false } as const;

describe('LibreOffice filters of the second-round office formats', () => {
  it('reads and writes each with its own named filter', () => {
    const cases = [
      ['ott', 'odt', 'writer8_template'],
      ['ots', 'xlsx', 'calc8_template'], ['xltx', 'csv', 'Calc MS Excel 2007 XML Template'], ['xlt', 'ods', 'MS Excel 97 Vorlage/Template'],
      ['dif', 'xlsx', 'DIF'], ['slk', 'csv', 'SYLK'],
      ['otp', 'pptx', 'impress8_template'], ['otg', 'odg', 'draw8_template'],
    ] as const;
    for (const [format, other, filter] of cases) {
      assert.equal(buildConvertRequest('/in', '/out', format, other, NO_OPTIONS).load['FilterName'], filter, `${format} in`);
      assert.equal(buildConvertRequest('/in', '/out', other, format, NO_OPTIONS).store['FilterName'], filter, `${format} out`);
    }
  });

  it('reads a PDF in Draw for a drawing template', () => {
    assert.deepEqual(buildConvertRequest('/in', '/out', 'pdf', 'otg', NO_OPTIONS).load, { FilterName: 'draw_pdf_import' });
  });

  it('tells DIF, SYLK and ODF templates by their first bytes', () => {
    const ascii = (text: string, at = 0): Buffer => Buffer.concat([Buffer.alloc(at), Buffer.from(text, 'latin1')]);
    assert.equal(matchesSignature(signatureOf('dif')!, ascii('TABLE\r\n0,1\r\n"s"')), true);
    assert.equal(matchesSignature(signatureOf('dif')!, ascii('ID;PCALCOOO32')), false);
    assert.equal(matchesSignature(signatureOf('slk')!, ascii('ID;PCALCOOO32')), true);
    assert.equal(matchesSignature(signatureOf('slk')!, ascii('name,count')), false);
    assert.equal(matchesSignature(signatureOf('ots')!, ascii('mimetypeapplication/vnd.oasis.opendocument.spreadsheet-template', 30)), true);
    assert.equal(matchesSignature(signatureOf('ots')!, ascii('mimetypeapplication/vnd.oasis.opendocument.spreadsheet', 30)), false);
  });

});
