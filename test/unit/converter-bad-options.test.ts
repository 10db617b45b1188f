// Input the option schema lets through but a converter cannot use is the client's mistake: every
// command builder answers it with an AppError (INVALID_OPTION, a 400 that names the option),
// never a plain Error that the worker would retry and report as an internal error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { buildRawCommandArgs } from '../../workers/converters/ffmpeg/command.js';
import { planImage } from '../../workers/converters/image/plan.js';
import { buildConvertRequest } from '../../workers/converters/libreoffice/command.js';
import { selectPages } from '../../workers/converters/mupdf/command.js';
import { resolvePlan, type ConvertPlan } from '../../src/core/catalog/resolve.js';

const invalidOption = (pattern: RegExp) => (error: unknown) => error instanceof AppError && error.code === 'INVALID_OPTION' && !error.retryable && pattern.test(error.message);

/** The engine's full typed options for a pair, with `options` set as a client would. */
function optionsOf(inputformat: string, outputformat: string, options: Record<string, unknown>): ConvertPlan['options'] {
  return resolvePlan({ mode: 'convert', inputformat, outputformat, converteroptions: options }).options as ConvertPlan['options'];
}

describe('converter command builders refuse bad options with an AppError', () => {
  it('ffmpeg: a raw command without its placeholders, or with an unclosed quote', () => {
    const input = { path: '/job/in.mp4', format: 'mp4' as const };
    assert.throws(() => buildRawCommandArgs('-c:v libx264', input, '/job/out.mp4'), invalidOption(/command.*\{INPUTFILE\}/));
    assert.throws(() => buildRawCommandArgs('-i {INPUTFILE} -metadata title="open {OUTPUTFILE}', input, '/job/out.mp4'), invalidOption(/unclosed/));
  });

  it('mutool: a page_range outside the document or backwards', () => {
    assert.throws(() => selectPages('2-9', 3), invalidOption(/page 9, but the PDF has 3 pages/));
    assert.throws(() => selectPages('3-2', 3), invalidOption(/3-2/));
  });

  it('sharp: a resize with a side of 0 pixels', () => {
    assert.throws(() => planImage(optionsOf('png', 'jpg', { resize: '0x0' }) as never, 'jpg', 1), invalidOption(/resize/));
  });

  it('LibreOffice: a page_range from page 0 or backwards', () => {
    for (const range of ['0', '5-2']) {
      assert.throws(() => buildConvertRequest('/job/a.docx', '/job/a.pdf', 'docx', 'pdf', optionsOf('docx', 'pdf', { page_range: range }) as never), invalidOption(/page_range/), range);
    }
  });
});
