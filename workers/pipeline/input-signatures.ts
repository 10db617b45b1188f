// The central signature check: before any tool reads an input, the file must start the way its
// format's files start (src/core/catalog/format-groups: `signature`). Tools pick their reader
// from the first bytes, so a file declared as one format but holding another (a PostScript
// program named .bmp, an SVG named .ico) would reach a reader the client did not choose. Formats
// without a declared signature are checked by their engine (PDF, PNG, JPEG, GIF and TIFF in
// file-signatures.ts) or have none worth checking (plain text read as text).
import { signatureOf, type Format } from '../../src/core/catalog/formats.js';
import type { ConversionPlan } from '../../src/core/catalog/resolve.js';
import { appError } from '../../src/core/errors.js';
import { matchesSignature, readHead, signatureLength } from '../../src/core/file-signatures.js';
import type { InputFile } from '../converters/types.js';

/** What a client reads when its file does not start like the format it declared. */
export function unlikeFormatMessage(format: Format, name: string): string {
  const signature = signatureOf(format);
  const kind = signature !== undefined && 'text' in signature ? `a ${format} text file (it holds binary data)` : `a ${format} file (its first bytes are not those of ${format} files)`;
  return `The input file "${name}" is not ${kind}. Check that the file really is ${format} and that inputformat says so.`;
}

/**
 * Refuses inputs that do not start like their format: the declared inputformat for one input,
 * each file's own extension (else inputformat) for several. mode=archive packs files of any
 * format without reading them, and transfers (API v2 imports and exports) only move bytes.
 */
export async function assertInputSignatures(plan: ConversionPlan, inputs: readonly InputFile[]): Promise<void> {
  if (plan.mode === 'archive' || plan.mode === 'transfer') return;
  for (const input of inputs) {
    // A command's inputs are each what their own name says (it has no declared inputformat).
    const format = (inputs.length > 1 || plan.mode === 'command' ? input.format : undefined) ?? plan.inputFormat;
    if (format === undefined) continue;
    const signature = signatureOf(format);
    if (signature === undefined) continue;
    if (!matchesSignature(signature, await readHead(input.path, signatureLength(signature)))) throw appError('CONVERSION_FAILED', unlikeFormatMessage(format, input.name));
  }
}
