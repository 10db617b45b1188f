// The text level of an upload form: the boundary in the request's Content-Type and the name and
// file name of each part. Tolerant on purpose (wire spec section 7, "Parser pitfall"): the Node
// SDK 3 sends `filename=my file ä.png` unquoted with raw UTF-8 and spaces, .NET puts UTF-8 bytes
// in quotes, PHP quotes the boundary, some clients send RFC 5987 `filename*=UTF-8''...`.
import { appError } from '../../core/errors.js';

/** RFC 2046 allows 70; a little slack for clients that generate long ones. */
const MAX_BOUNDARY_LENGTH = 200;

/** The boundary of a multipart/form-data Content-Type, quoted or not. */
export function boundaryOf(contentType: string | undefined): string {
  const [type = '', ...rest] = (contentType ?? '').split(';');
  const mediaType = type.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data') {
    throw appError(
      'INVALID_PARAMETER',
      `The upload must be a multipart/form-data body, not "${mediaType.slice(0, 80) || 'no Content-Type'}": post the form's parameters and then the file as the last part named "file".`,
    );
  }
  const match = /(?:^|;)\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(`;${rest.join(';')}`);
  const boundary = match?.[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match?.[2] ?? '').trim();
  if (boundary === '') {
    throw appError(
      'INVALID_PARAMETER',
      'The Content-Type multipart/form-data has no boundary parameter: send "Content-Type: multipart/form-data; boundary=<the boundary the body uses>".',
    );
  }
  if (boundary.length > MAX_BOUNDARY_LENGTH) {
    throw appError('INVALID_PARAMETER', `The multipart boundary is longer than ${MAX_BOUNDARY_LENGTH} characters: use a boundary of at most 70 characters (RFC 2046).`);
  }
  return boundary;
}

/** What a part's Content-Disposition says about it. */
export interface PartDescription {
  /** The form field name; undefined when the part has none. */
  readonly name: string | undefined;
  /** The client's file name with path components removed; undefined when the part has none. */
  readonly filename: string | undefined;
}

/** Reads the name and file name from a part's raw header block. */
export function describePart(header: Buffer): PartDescription {
  const disposition = headerLines(decodeText(header)).find((line) => /^content-disposition\s*:/i.test(line));
  if (disposition === undefined) return { name: undefined, filename: undefined };
  const params = dispositionParams(disposition.slice(disposition.indexOf(':') + 1));
  const extended = params.get('filename*');
  const filename = (extended === undefined ? undefined : decodeExtended(extended)) ?? params.get('filename');
  return { name: params.get('name'), filename: filename === undefined ? undefined : baseName(filename) };
}

/** UTF-8 when the bytes are valid UTF-8 (nearly every client), else Latin-1 (old clients). */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** Header lines with obsolete folded continuation lines joined. */
function headerLines(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && lines.length > 0) lines[lines.length - 1] += ` ${line.trim()}`;
    else if (line !== '') lines.push(line);
  }
  return lines;
}

/**
 * Parameters of a Content-Disposition value (`form-data; name="x"; filename=...`), names
 * lower-cased, the first of a repeated name kept. An unquoted filename runs to the end of the
 * line, because NODE3 sends spaces and semicolons unquoted; only a following `name=` or
 * `filename*=` parameter ends it (a file name holding "; name=" is less likely than that order).
 */
function dispositionParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  let i = value.indexOf(';');
  while (i >= 0 && i < value.length) {
    while (i < value.length && (value[i] === ';' || value[i] === ' ' || value[i] === '\t')) i++;
    const eq = value.indexOf('=', i);
    const semi = value.indexOf(';', i);
    if (eq < 0) break;
    if (semi >= 0 && semi < eq) {
      i = semi; // a parameter without a value
      continue;
    }
    const key = value.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (value[i] === ' ' || value[i] === '\t') i++;
    let parsed: { text: string; end: number };
    if (value[i] === '"') parsed = quoted(value, i + 1);
    else if (key === 'filename') parsed = unquotedFilename(value, i);
    else parsed = untilSemicolon(value, i);
    if (!params.has(key)) params.set(key, parsed.text);
    i = parsed.end;
  }
  return params;
}

/**
 * A quoted string from just after its opening quote. Only `\"` and `\\` are escapes: old browsers
 * sent Windows paths (`"C:\x\a.png"`) with bare backslashes. An unclosed quote runs to the end.
 */
function quoted(value: string, start: number): { text: string; end: number } {
  let text = '';
  let i = start;
  while (i < value.length && value[i] !== '"') {
    if (value[i] === '\\' && (value[i + 1] === '"' || value[i + 1] === '\\')) i++;
    text += value[i];
    i++;
  }
  const next = value.indexOf(';', i);
  return { text, end: next < 0 ? value.length : next };
}

function unquotedFilename(value: string, start: number): { text: string; end: number } {
  const next = /;\s*(?:name|filename\*)\s*=/i.exec(value.slice(start));
  const end = next === null ? value.length : start + next.index;
  return { text: value.slice(start, end).trim(), end };
}

function untilSemicolon(value: string, start: number): { text: string; end: number } {
  const next = value.indexOf(';', start);
  const end = next < 0 ? value.length : next;
  return { text: value.slice(start, end).trim(), end };
}

/** RFC 5987 `charset'language'percent-encoded`; undefined when it cannot be decoded. */
function decodeExtended(value: string): string | undefined {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value.trim());
  if (match === null) return undefined;
  const charset = (match[1] ?? '').toLowerCase();
  const bytes = percentDecode(match[2] ?? '');
  if (bytes === undefined) return undefined;
  if (charset === 'utf-8' || charset === 'utf8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return undefined;
    }
  }
  if (charset === 'iso-8859-1' || charset === 'latin1') return bytes.toString('latin1');
  return undefined;
}

/** Bytes of `%XX` escapes; other characters (tolerated though RFC 5987 forbids them) as UTF-8. */
function percentDecode(encoded: string): Buffer | undefined {
  const bytes: Buffer[] = [];
  for (let i = 0; i < encoded.length; ) {
    if (encoded[i] === '%') {
      const hex = encoded.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/i.test(hex)) return undefined;
      bytes.push(Buffer.from([parseInt(hex, 16)]));
      i += 3;
    } else {
      const char = String.fromCodePoint(encoded.codePointAt(i) ?? 0);
      bytes.push(Buffer.from(char));
      i += char.length;
    }
  }
  return Buffer.concat(bytes);
}

/** The last path component: clients send `C:\x\a.png` or `../a.png` and mean `a.png`. */
export function baseName(name: string): string {
  const parts = name.split(/[/\\]/);
  return parts[parts.length - 1] ?? '';
}
