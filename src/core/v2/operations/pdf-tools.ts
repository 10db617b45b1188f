// The pdf/* operations (wire spec 6.2): each is one tool of the `pdftools` engine over one input
// task's file. Options are checked against the tool's catalog schema at creation (422 naming the
// field); passwords are taken out of the payload and sealed with the task, like S3 credentials.
import { appError, isAppError } from '../../errors.js';
import { resolvePdfToolPlan, type PdfToolPlan } from '../../catalog/resolve.js';
import type { PdfTool } from '../../catalog/engines/pdf-tools.js';
import type { PdfPasswords } from '../../remote/locations.js';
import { FieldReader, without } from './fields.js';
import { atStart, COMMON_FIELDS, inputFormatOf, processFor, readCommon } from './processing.js';
import type { Checked, OperationHandler } from './types.js';

/** The operation names and the tool each runs. */
export const PDF_TOOL_OPERATIONS = {
  'pdf/a': 'pdfa',
  'pdf/x': 'pdfx',
  'pdf/ocr': 'ocr',
  'pdf/encrypt': 'encrypt',
  'pdf/decrypt': 'decrypt',
  'pdf/split-pages': 'split',
  'pdf/extract-pages': 'extract',
  'pdf/rotate-pages': 'rotate',
} as const satisfies Record<string, PdfTool>;
export type PdfToolOperation = keyof typeof PDF_TOOL_OPERATIONS;

/** The payload fields that are passwords, per tool: never stored, shown or logged. */
export const PDF_PASSWORD_FIELDS: Readonly<Record<PdfTool, readonly string[]>> = { pdfa: [], pdfx: [], ocr: [], encrypt: ['set_password', 'set_owner_password'], decrypt: ['password'], split: [], extract: [], rotate: [] };

const MAX_PASSWORD = 200;

/** A password field: 1-200 characters, no line breaks or control characters (qpdf reads them by line). */
function password(fields: FieldReader, field: string): string | undefined {
  const value = fields.payload[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return fields.fail(field, `The ${field} field must be a string.`);
  if (value.length > MAX_PASSWORD || /[\u0000-\u001f\u007f]/.test(value)) return fields.fail(field, `The ${field} field must have 1 to ${MAX_PASSWORD} characters, without line breaks or control characters.`);
  return value;
}

/** The passwords of the tool, read (and checked) from the payload. */
function readPasswords(fields: FieldReader, tool: PdfTool): PdfPasswords {
  if (tool === 'decrypt') {
    const given = password(fields, 'password');
    return given === undefined ? {} : { password: given };
  }
  if (tool !== 'encrypt') return {};
  const user = password(fields, 'set_password');
  const owner = password(fields, 'set_owner_password');
  if (user === undefined && owner === undefined && fields.errors['set_password'] === undefined && fields.errors['set_owner_password'] === undefined) {
    fields.fail('set_password', 'Give set_password (needed to open the PDF), set_owner_password (needed to lift the restrictions), or both.');
  }
  return { ...(user === undefined ? {} : { password: user }), ...(owner === undefined ? {} : { ownerPassword: owner }) };
}

/** The payload's tool options (everything but the common fields and the passwords). */
function toolOptions(payload: Readonly<Record<string, unknown>>, tool: PdfTool): Record<string, unknown> {
  return without(payload, [...COMMON_FIELDS, ...PDF_PASSWORD_FIELDS[tool]]);
}

/** Checks the options against the tool's schema; a catalog error becomes the named field's 422. */
function checkOptions(fields: FieldReader, tool: PdfTool, input: string | undefined): void {
  try {
    resolvePdfToolPlan(tool, input ?? 'pdf', toolOptions(fields.payload, tool));
  } catch (error) {
    if (!isAppError(error)) throw error;
    const option = /converter option (\w+)/.exec(error.message)?.[1];
    fields.fail(error.code === 'INVALID_OPTION' ? (option ?? 'options') : 'input_format', error.message.replace('inputformat', 'input_format').replace('Invalid converter option', 'Invalid value of'));
  }
}

function pdfToolOperation(tool: PdfTool): OperationHandler {
  return {
    takesInput: true,
    check(payload): Checked {
      const fields = new FieldReader(payload);
      readCommon(fields);
      const input = fields.string('input_format', { max: 40 });
      const passwords = readPasswords(fields, tool);
      checkOptions(fields, tool, input);
      fields.done();
      const secret = Object.keys(passwords).length > 0;
      return { payload: without(payload, PDF_PASSWORD_FIELDS[tool]), ...(secret ? { secrets: { pdf: passwords } } : {}) };
    },
    start(payload, inputs) {
      if (inputs.length > 1) throw appError('INVALID_PARAMETER', `This PDF tool takes one file, and its input tasks made ${inputs.length}. Use one task per file.`);
      const plan: PdfToolPlan = atStart(() => resolvePdfToolPlan(tool, inputFormatOf(payload, inputs), toolOptions(payload, tool)));
      return processFor(plan, inputs, payload);
    },
  };
}

export const PDF_TOOL_HANDLERS = {
  'pdf/a': pdfToolOperation('pdfa'),
  'pdf/x': pdfToolOperation('pdfx'),
  'pdf/ocr': pdfToolOperation('ocr'),
  'pdf/encrypt': pdfToolOperation('encrypt'),
  'pdf/decrypt': pdfToolOperation('decrypt'),
  'pdf/split-pages': pdfToolOperation('split'),
  'pdf/extract-pages': pdfToolOperation('extract'),
  'pdf/rotate-pages': pdfToolOperation('rotate'),
} as const satisfies Record<PdfToolOperation, OperationHandler>;
