// Whether XML bytes are in an encoding the link search reads as the XML parser does. libxml2
// (calibre's lxml) also reads UTF-32, EBCDIC, UTF-7 and others, in which "file:" is not the
// ASCII bytes the search looks for; a relationship part in one of those is refused instead.

/** Encodings in which ASCII text is ASCII bytes (UTF-16 is decoded by the search itself). */
const SEARCHED = /^(utf-?8|utf-?16(le|be)?|us-ascii|ascii|iso-8859-\d{1,2}|iso-latin-1|latin-?1|windows-125\d|cp125\d)$/i;

/** The text as libxml2 starts reading it: by its byte order mark, or UTF-16 by its first '<'. */
function decodeStart(bytes: Buffer): string {
  const head = bytes.subarray(0, 4096);
  const even = (b: Buffer): Buffer => b.subarray(0, b.length - (b.length % 2));
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return head.subarray(3).toString('utf8');
  if (head[0] === 0xff && head[1] === 0xfe) return even(head.subarray(2)).toString('utf16le');
  if (head[0] === 0xfe && head[1] === 0xff) return Buffer.from(even(head.subarray(2))).swap16().toString('utf16le');
  if (head[0] === 0x3c && head[1] === 0) return even(head).toString('utf16le');
  if (head[0] === 0 && head[1] === 0x3c) return Buffer.from(even(head)).swap16().toString('utf16le');
  return head.toString('latin1');
}

/**
 * Whether the part is empty or XML (a '<' first, after blanks) in UTF-8, UTF-16 or a single-byte
 * ASCII-compatible encoding, as its byte order mark and its declaration say.
 */
export function xmlEncodingSearchable(bytes: Buffer): boolean {
  const text = decodeStart(bytes).replace(/^[\t\n\r ]+/, '');
  if (text === '') return bytes.length <= 4;
  if (!text.startsWith('<')) return false;
  const declared = /^<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(text)?.[1];
  return declared === undefined || SEARCHED.test(declared);
}
