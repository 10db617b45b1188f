// The pure builders of the LibreOffice engine: filters per pair, pdf options, the instance command.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listConversionTypes, type EngineOptions } from '../../src/core/catalog/index.js';
import { buildConvertRequest, buildInstanceCommand, profileUrl } from '../../workers/converters/libreoffice/command.js';

const NONE: EngineOptions['libreoffice'] = { page_range: null, pdf_a: null, password: null };

describe('buildConvertRequest', () => {
  it('names the import and export filter of every catalog pair', () => {
    const pairs = listConversionTypes().filter((t) => t.engine === 'libreoffice');
    assert.ok(pairs.length > 40, `${pairs.length} pairs`);
    for (const t of pairs) {
      const request = buildConvertRequest('/in', '/out', t.inputformat, t.outputformat, NONE);
      assert.ok(request.load['FilterName'], `${t.inputformat} import`);
      assert.ok(request.store['FilterName'], `${t.inputformat} → ${t.outputformat} export`);
    }
  });

  it('picks the PDF export of the document family', () => {
    assert.equal(buildConvertRequest('/a', '/b', 'docx', 'pdf', NONE).store['FilterName'], 'writer_pdf_Export');
    assert.equal(buildConvertRequest('/a', '/b', 'csv', 'pdf', NONE).store['FilterName'], 'calc_pdf_Export');
    assert.equal(buildConvertRequest('/a', '/b', 'pptx', 'pdf', NONE).store['FilterName'], 'impress_pdf_Export');
  });

  it('reads and writes text and csv as UTF-8', () => {
    assert.deepEqual(buildConvertRequest('/a', '/b', 'txt', 'docx', NONE).load, { FilterName: 'Text (encoded)', FilterOptions: 'UTF8' });
    assert.equal(buildConvertRequest('/a', '/b', 'xlsx', 'csv', NONE).store['FilterOptions'], '44,34,76,1');
  });

  it('puts page_range and pdf_a into the PDF filter data only for pdf output', () => {
    const options = { page_range: '2-3,5', pdf_a: true, password: null };
    assert.deepEqual(buildConvertRequest('/a', '/b', 'odt', 'pdf', options).filterData, { PageRange: '2-3,5', SelectPdfVersion: 2 });
    assert.deepEqual(buildConvertRequest('/a', '/b', 'odt', 'docx', options).filterData, {});
    assert.deepEqual(buildConvertRequest('/a', '/b', 'odt', 'pdf', NONE).filterData, {});
  });

  it('passes the password when loading', () => {
    assert.equal(buildConvertRequest('/a', '/b', 'docx', 'pdf', { ...NONE, password: 's3cret' }).load['Password'], 's3cret');
    assert.equal(buildConvertRequest('/a', '/b', 'docx', 'pdf', NONE).load['Password'], undefined);
  });

  it('throws for a pair across families', () => {
    assert.throws(() => buildConvertRequest('/a', '/b', 'docx', 'xlsx', NONE), /no filter for docx to xlsx/);
  });
});

describe('buildInstanceCommand', () => {
  it('runs soffice.bin headless on a named pipe with its own profile', () => {
    const { command, args } = buildInstanceCommand('/lo/soffice.bin', '/tmp/p 1', 'pipe-x');
    assert.equal(command, '/lo/soffice.bin');
    assert.ok(args.includes('--headless'));
    assert.ok(args.includes('--accept=pipe,name=pipe-x;urp;'));
    assert.ok(args.includes('-env:UserInstallation=file:///tmp/p%201'));
  });

  it('percent-encodes profile paths', () => {
    assert.equal(profileUrl('/a/b#c'), 'file:///a/b%23c');
  });
});
