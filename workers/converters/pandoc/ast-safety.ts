// What the unsandboxed writer run (docx, odt, epub) may see of a document: pandoc's writers read
// the files an image names, the tags of raw HTML an epub embeds (img, video, audio, source) and
// files named in metadata (cover-image, css), from any path or URL. The document is read back
// from pandoc's JSON and rewritten so that nothing but the images pandoc extracted from the input
// itself can be read: other images become their description, such raw HTML is dropped, and only
// descriptive metadata is kept.

/** Metadata the writers show and never read a file for. */
export const KEPT_METADATA = ['title', 'subtitle', 'author', 'date', 'lang', 'abstract', 'keywords', 'subject', 'description', 'rights', 'publisher'] as const;

/** Raw HTML with an attribute the epub writer fetches. */
const FETCHING_HTML = /\b(?:src|poster|srcset|data)\s*=/i;
const HTML_FORMATS = new Set(['html', 'html4', 'html5', 'epub', 'epub2', 'epub3']);
/** Characters of the file names pandoc gives extracted media (no %, no spaces: nothing a writer decodes). */
const PLAIN_PATH = /^[A-Za-z0-9._/-]+$/;

const EMPTY_ATTR = ['', [], []];

/** Whether an image target is a file pandoc extracted into `mediaDir`, or an inline data: URL. */
export function isSafeImageTarget(target: string, mediaDir: string): boolean {
  if (/^data:image\/[a-z0-9.+-]+;base64,/i.test(target)) return true;
  if (!PLAIN_PATH.test(target) || !target.startsWith(`${mediaDir}/`)) return false;
  return !target.split('/').some((part) => part === '..' || part === '.');
}

interface Element {
  t: string;
  c?: unknown;
}

function isElement(value: unknown): value is Element {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { t?: unknown }).t === 'string';
}

/** One node, made safe (children first). */
function safeNode(node: unknown, mediaDir: string): unknown {
  if (Array.isArray(node)) return node.map((child) => safeNode(child, mediaDir));
  if (typeof node !== 'object' || node === null) return node;
  if (!isElement(node)) return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, safeNode(value, mediaDir)]));
  const content = safeNode(node.c, mediaDir);
  if (node.t === 'Image' && Array.isArray(content)) {
    const [, description, target] = content as [unknown, unknown, unknown];
    const url = Array.isArray(target) && typeof target[0] === 'string' ? target[0] : '';
    return isSafeImageTarget(url, mediaDir) ? { t: 'Image', c: content } : { t: 'Span', c: [EMPTY_ATTR, Array.isArray(description) ? description : []] };
  }
  if ((node.t === 'RawInline' || node.t === 'RawBlock') && Array.isArray(content)) {
    const [format, text] = content as [unknown, unknown];
    if (typeof format !== 'string' || typeof text !== 'string' || (HTML_FORMATS.has(format.toLowerCase()) && FETCHING_HTML.test(text))) {
      return node.t === 'RawInline' ? { t: 'Span', c: [EMPTY_ATTR, []] } : { t: 'Plain', c: [] };
    }
  }
  return node.c === undefined ? { t: node.t } : { t: node.t, c: content };
}

/**
 * The document (pandoc's JSON, parsed) as the writer run may see it. Throws on something that
 * is not a pandoc document.
 */
export function safeDocument(document: unknown, mediaDir: string): unknown {
  if (typeof document !== 'object' || document === null || !Array.isArray((document as { blocks?: unknown }).blocks)) throw new Error('not a pandoc JSON document');
  const { meta, blocks, ...rest } = document as { meta?: Record<string, unknown>; blocks: unknown[] };
  const kept = Object.fromEntries(KEPT_METADATA.filter((key) => meta !== undefined && Object.hasOwn(meta, key)).map((key) => [key, safeNode(meta?.[key], mediaDir)]));
  return { ...rest, meta: kept, blocks: safeNode(blocks, mediaDir) };
}
