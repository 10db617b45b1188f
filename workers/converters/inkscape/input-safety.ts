// Pure checks run before a tool opens an input. Inkscape embeds whatever an SVG points at
// (<image href="file:///etc/passwd">, sodipodi:absref, <use href="other.svg#id">, CSS url()),
// so an SVG must be self-contained: only #fragments and data: URIs are accepted. And Inkscape
// reads any file it cannot import as SVG, so binary inputs must start with their magic bytes.
import type { Format } from '../../../src/core/catalog/index.js';

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: Verdict = { ok: true };
const refuse = (reason: string): Verdict => ({ ok: false, reason });

/** Encodings that keep ASCII markup as ASCII bytes, so the scan below sees what the parser sees. */
const ASCII_COMPATIBLE = /^(utf-?8|us-ascii|ascii|iso-8859-\d{1,2}|iso-latin-1|latin-?1|windows-125\d|cp125\d)$/i;
/** Attributes that load what they name (local names: xlink:href, sodipodi:absref, ...). */
const LOADING_ATTRIBUTES = new Set(['href', 'src', 'absref']);
/** Link targets (never loaded) allowed on <a> elements. */
const LINK_SCHEMES = /^(https?:|mailto:)/i;
const MAX_DEPTH = 3;

const XML_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Character and predefined entity references, decoded once (as the XML parser does). */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|lt|gt|amp|quot|apos);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return XML_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** CSS escapes (\66 or \f) decoded, so `u\72 l(` is seen as `url(`. */
function decodeCssEscapes(text: string): string {
  return text
    .replace(/\\([0-9a-fA-F]{1,6})\s?/g, (_, hex: string) => {
      const code = parseInt(hex, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    })
    .replace(/\\(.)/gs, '$1');
}

/** A data: URI's media type and bytes; undefined when it is not one or cannot be decoded. */
function parseDataUri(value: string): { mime: string; bytes: Uint8Array } | undefined {
  const match = /^data:([^,]*),(.*)$/is.exec(value);
  if (match === null) return undefined;
  const params = (match[1] ?? '').split(';').map((p) => p.trim().toLowerCase());
  const body = match[2] ?? '';
  try {
    const bytes = params.includes('base64') ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : Buffer.from(decodeURIComponent(body), 'utf8');
    return { mime: params[0] ?? '', bytes };
  } catch {
    return undefined;
  }
}

function checkReference(raw: string, depth: number, onLink: boolean): Verdict {
  const value = raw.replace(/[\u0000-\u0020]+/g, ' ').trim();
  if (value === '' || value.startsWith('#')) return OK;
  if (/^data:/i.test(value)) {
    const data = parseDataUri(value);
    if (data === undefined) return refuse('it contains a data: URI that cannot be decoded');
    // An embedded SVG is opened as a document of its own: it must be self-contained too.
    if (data.mime === 'image/svg+xml') return checkSvg(data.bytes, depth + 1);
    return OK;
  }
  if (onLink && LINK_SCHEMES.test(value)) return OK;
  return refuse(`it references "${value.slice(0, 80)}"`);
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isNameChar = (c: string | undefined): boolean => c !== undefined && !isSpace(c) && !'<>"\'=/'.includes(c);

/** Finds closing quotes, reusing the last answer when it still holds (linear time overall). */
function quoteFinder(text: string): (quote: string, from: number) => number {
  const last = new Map<string, { from: number; at: number }>();
  return (quote, from) => {
    const known = last.get(quote);
    // No such quote lies between known.from and known.at: the answer is the same, unscanned.
    if (known !== undefined && from >= known.from && (known.at === -1 || from <= known.at)) return known.at;
    const at = text.indexOf(quote, from);
    last.set(quote, { from, at });
    return at;
  };
}

/**
 * Every `name = "value"` in the text, with the element it seems to belong to (the last tag
 * opened before it). A hand-written scan, linear in the text's length (a regular expression
 * backtracks quadratically over unterminated quotes). Values are not skipped: an '=' in text
 * content must not hide the attribute that follows it.
 *
 * The whitespace and name scans around each '=' have no length limit (XML allows any amount of
 * whitespace around '=', and a limit let `href<65 spaces>=` through) and stay linear: '=' is
 * neither whitespace nor a name character, so a backward scan from one '=' stops before it
 * reaches the previous '=', and a forward scan stops at the first other character, before the
 * next '='. Each character is thus scanned at most once backwards and once forwards.
 */
function* attributes(text: string): Generator<{ name: string; value: string; element: string }> {
  const closing = quoteFinder(text);
  let lastTag = -1;
  let nextTag = text.indexOf('<');
  for (let eq = text.indexOf('='); eq !== -1; eq = text.indexOf('=', eq + 1)) {
    let end = eq;
    while (end > 0 && isSpace(text[end - 1])) end--;
    let start = end;
    while (start > 0 && isNameChar(text[start - 1])) start--;
    let open = eq + 1;
    while (open < text.length && isSpace(text[open])) open++;
    const quote = text[open];
    if (start === end || (quote !== '"' && quote !== "'")) continue;
    const close = closing(quote, open + 1);
    if (close === -1) continue;
    while (nextTag !== -1 && nextTag < start) {
      lastTag = nextTag;
      nextTag = text.indexOf('<', nextTag + 1);
    }
    const element = lastTag === -1 ? '' : (/^<([^\s/>]{1,64})/.exec(text.slice(lastTag, lastTag + 66))?.[1] ?? '');
    yield { name: text.slice(start, end).toLowerCase(), value: text.slice(open + 1, close), element: element.slice(element.lastIndexOf(':') + 1).toLowerCase() };
  }
}

function checkAttributes(text: string, depth: number): Verdict {
  for (const { name, value, element } of attributes(text)) {
    if (!LOADING_ATTRIBUTES.has(name.slice(name.lastIndexOf(':') + 1))) continue;
    const verdict = checkReference(decodeXmlText(value), depth, element === 'a');
    if (!verdict.ok) return verdict;
  }
  return OK;
}

/**
 * The arguments of every CSS url(...), quoted or not. Linear like attributes(), without limits:
 * the whitespace scans after one `url` stop at the first other character, before the next `url`.
 */
function* urlArguments(css: string): Generator<string> {
  const closing = quoteFinder(css);
  for (const { index: at } of css.matchAll(/url/gi)) {
    let open = at + 3;
    while (open < css.length && isSpace(css[open])) open++;
    if (css[open] !== '(') continue;
    let first = open + 1;
    while (first < css.length && isSpace(css[first])) first++;
    const quote = css[first];
    const close = quote === '"' || quote === "'" ? closing(quote, first + 1) : closing(')', first);
    if (close === -1) continue;
    yield quote === '"' || quote === "'" ? css.slice(first + 1, close) : css.slice(first, close);
  }
}

function checkCss(text: string, depth: number): Verdict {
  const css = decodeCssEscapes(decodeXmlText(text));
  if (/@import/i.test(css)) return refuse('it imports a style sheet (@import)');
  for (const argument of urlArguments(css)) {
    const verdict = checkReference(argument, depth, false);
    if (!verdict.ok) return verdict;
  }
  return OK;
}

/**
 * Whether an SVG is self-contained: UTF-8 (or another ASCII-compatible encoding) text with no
 * entity declarations, no style sheet processing instructions, and no href/src/absref or CSS
 * url() other than #fragments and data: URIs (embedded SVGs are checked in turn); <a> links
 * may point at http(s) and mailto (they become link annotations, nothing is loaded). The whole
 * text is scanned, comments included: a false alarm refuses a file, a miss would leak one.
 */
export function checkSvg(bytes: Uint8Array, depth = 0): Verdict {
  if (depth > MAX_DEPTH) return refuse('it nests embedded SVG images too deeply');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return refuse('it is not UTF-8 text (compressed .svgz and UTF-16 files are not accepted)');
  }
  // NUL bytes: UTF-16 or UCS-4 without a byte order mark, which the parser would decode differently.
  if (text.includes('\u0000')) return refuse('it is not UTF-8 text (UTF-16 files are not accepted)');
  const encoding = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(text)?.[1];
  if (encoding !== undefined && !ASCII_COMPATIBLE.test(encoding)) return refuse(`it declares the encoding ${encoding.slice(0, 40)}; save it as UTF-8`);
  if (/<!ENTITY/i.test(text)) return refuse('it declares XML entities (<!ENTITY>)');
  if (/<\?xml-stylesheet/i.test(text)) return refuse('it links a style sheet (<?xml-stylesheet?>)');
  const verdict = checkAttributes(text, depth);
  return verdict.ok ? checkCss(text, depth) : verdict;
}

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0): boolean => bytes.every((b, i) => head[at + i] === b);
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** Whether a binary input starts like its format (at least the first 44 bytes are needed). */
export function checkMagic(format: Format, head: Uint8Array): Verdict {
  const fits = ((): boolean => {
    switch (format) {
      case 'pdf':
        return startsWith(head, ascii('%PDF-'));
      case 'emf':
        return startsWith(head, [1, 0, 0, 0]) && startsWith(head, ascii(' EMF'), 40);
      case 'wmf':
        return startsWith(head, [0xd7, 0xcd, 0xc6, 0x9a]) || ((head[0] === 1 || head[0] === 2) && startsWith(head, [0, 9, 0], 1));
      case 'eps':
      case 'ps':
        return startsWith(head, ascii('%!')) || startsWith(head, [0xc5, 0xd0, 0xd3, 0xc6]);
      default:
        return true;
    }
  })();
  return fits ? OK : refuse(`it does not start like a ${format} file`);
}
