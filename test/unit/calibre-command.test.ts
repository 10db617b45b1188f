// The pure parts of the ebook engine: ebook-convert arguments and environment, progress lines,
// failure messages, and the catalog's calibre pairs and options (the docx check: calibre-docx-links).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findConversionType } from '../../src/core/catalog/index.js';
import { resolvePlan } from '../../src/core/catalog/resolve.js';
import type { EngineOptions } from '../../src/core/catalog/index.js';
import { AppError } from '../../src/core/errors.js';
import { buildConvertArgs, buildEnv, describeFailure, parseProgress } from '../../workers/converters/calibre/command.js';

const NONE: EngineOptions['calibre'] = { base_font_size: null, margin_top: null, margin_bottom: null, margin_left: null, margin_right: null, title: null, authors: null };

describe('ebook-convert arguments', () => {
  it('is input and output alone without options', () => {
    assert.deepEqual(buildConvertArgs('/w/in.epub', '/o/book.mobi', 'epub', 'mobi', NONE), ['/w/in.epub', '/o/book.mobi']);
  });
  it('reads html without following links and txt as plain text', () => {
    assert.deepEqual(buildConvertArgs('/w/in.html', '/o/b.epub', 'html', 'epub', NONE).slice(2), ['--max-levels=0']);
    assert.deepEqual(buildConvertArgs('/w/in.txt', '/o/b.epub', 'txt', 'epub', NONE).slice(2), ['--formatting-type=plain']);
  });
  it('maps font size and margins; page margins too for pdf and docx', () => {
    const options = { ...NONE, base_font_size: 14, margin_top: 36, margin_left: 0.5 };
    assert.deepEqual(buildConvertArgs('/i.epub', '/o.azw3', 'epub', 'azw3', options).slice(2), ['--base-font-size=14', '--margin-top=36', '--margin-left=0.5']);
    assert.deepEqual(buildConvertArgs('/i.epub', '/o.pdf', 'epub', 'pdf', options).slice(2), ['--base-font-size=14', '--margin-top=36', '--pdf-page-margin-top=36', '--margin-left=0.5', '--pdf-page-margin-left=0.5']);
    assert.deepEqual(buildConvertArgs('/i.epub', '/o.docx', 'epub', 'docx', { ...NONE, margin_bottom: 0 }).slice(2), ['--margin-bottom=0', '--docx-page-margin-bottom=0']);
  });
  it('keeps a title or author that looks like an option inside its own argument', () => {
    const args = buildConvertArgs('/i.epub', '/o.epub', 'epub', 'epub', { ...NONE, title: '--output-profile=kindle', authors: '-h & "Ann" $(id)' });
    assert.deepEqual(args.slice(2), ['--title=--output-profile=kindle', '--authors=-h & "Ann" $(id)']);
    assert.equal(args.filter((a) => a.startsWith('--output-profile')).length, 0);
  });
});

describe('ebook-convert environment', () => {
  const dirs = { home: '/job/c/home', config: '/job/c/home/config', cache: '/job/c/home/cache', temp: '/job/c/home/tmp', runtime: '/job/c/home/runtime' };
  it('holds only its own variables, every folder inside the job', () => {
    const env = buildEnv(dirs, true);
    assert.deepEqual(Object.keys(env).sort(), ['CALIBRE_CACHE_DIRECTORY', 'CALIBRE_CONFIG_DIRECTORY', 'CALIBRE_TEMP_DIR', 'HOME', 'QT_QPA_PLATFORM', 'TMPDIR', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'XDG_RUNTIME_DIR']);
    for (const name of ['HOME', 'TMPDIR', 'CALIBRE_TEMP_DIR', 'CALIBRE_CONFIG_DIRECTORY', 'CALIBRE_CACHE_DIRECTORY', 'XDG_RUNTIME_DIR']) assert.ok(env[name]?.startsWith('/job/c/'), name);
    assert.equal(env['QT_QPA_PLATFORM'], 'offscreen');
  });
  it("keeps QtWebEngine's own sandbox on wherever the tool sandbox allows it (the book's JavaScript runs in it)", () => {
    assert.equal(buildEnv(dirs, true)['QTWEBENGINE_CHROMIUM_FLAGS'], undefined);
    assert.equal(buildEnv(dirs, false)['QTWEBENGINE_CHROMIUM_FLAGS'], '--no-sandbox');
  });
});

describe('ebook-convert output', () => {
  it('reads the last progress line of a chunk', () => {
    assert.deepEqual(parseProgress('1% Converting input to HTML...\nInputFormatPlugin: EPUB Input running\n34% Running transforms on e-book...\n'), { percent: 34, message: 'Running transforms on e-book...' });
    assert.equal(parseProgress('Output saved to /x.epub\n'), undefined);
  });
  it('names the exception calibre ended with and says what to check', () => {
    const stderr = 'QStandardPaths: XDG_RUNTIME_DIR not set\nTraceback (most recent call last):\n  File "x.py", line 1, in convert\ncalibre.utils.zipfile.BadZipfile: File is not a zip file\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File "/usr/bin/ebook-convert", line 21\n    raise ValueError(\'Not a ZIP file\')\nValueError: Not a ZIP file\n';
    assert.equal(describeFailure(stderr, 'epub', 'pdf'), 'calibre could not convert the epub file to pdf: Not a ZIP file. Check that the file is a valid, DRM-free epub file.');
    assert.match(describeFailure('calibre.ebooks.DRMError: This file is locked with DRM.\n', 'azw3', 'epub'), /protected by DRM/);
    assert.match(describeFailure('', 'mobi', 'epub'), /ebook-convert stopped with an error/);
  });
});

describe('calibre in the catalog', () => {
  const plan = (inputformat: string, outputformat: string, converteroptions?: Record<string, unknown>) => resolvePlan({ mode: 'convert', inputformat, outputformat, converteroptions });
  it('takes ebook pairs and leaves office pairs to LibreOffice', () => {
    for (const [input, output] of [['epub', 'pdf'], ['mobi', 'epub'], ['azw3', 'fb2'], ['html', 'epub'], ['txt', 'mobi'], ['docx', 'azw3'], ['pdf', 'epub'], ['fb2', 'docx'], ['epub', 'txt']] as const) {
      assert.equal(findConversionType(input, output)?.engine, 'calibre', `${input} → ${output}`);
    }
    assert.equal(findConversionType('docx', 'pdf')?.engine, 'libreoffice');
    assert.equal(findConversionType('txt', 'pdf')?.engine, 'libreoffice');
    // calibre writes no single-page html: pandoc, after calibre in precedence, serves it.
    assert.equal(findConversionType('epub', 'html')?.engine, 'pandoc');
  });
  it('validates the options and shows their defaults', () => {
    const p = plan('epub', 'pdf', { title: 'My Book', authors: 'Ann & Bob', margin_top: '36', base_font_size: 12 });
    assert.equal(p.engine, 'calibre');
    assert.deepEqual(p.options, { base_font_size: 12, margin_top: 36, margin_bottom: null, margin_left: null, margin_right: null, title: 'My Book', authors: 'Ann & Bob' });
    for (const [name, value] of [['title', 'a\nb'], ['authors', 'x'.repeat(301)], ['margin_left', -1], ['base_font_size', 'big']] as const) {
      assert.throws(() => plan('epub', 'mobi', { [name]: value }), (e: unknown) => e instanceof AppError && e.code === 'INVALID_OPTION' && e.message.includes(`option ${name} =`), name);
    }
    // epub → txt has no options: a title is ignored there.
    assert.deepEqual(plan('epub', 'txt', { title: 'x' }).options, { base_font_size: null, margin_top: null, margin_bottom: null, margin_left: null, margin_right: null, title: null, authors: null });
  });
});
