// @ts-check
// A finished process on the page: a link per output file with its size, "Download all" (the ZIP
// of output.url) when there are several, a preview of image and PDF files, and mode=info's
// object as a table. The console starts processes with `save`, so a preview does not use up the
// one download an unsaved file allows.
import { absolute, sizeOf } from './api.js';
import { byId, el, flatten, formatBytes } from './dom.js';

/** Shown as <img>: the formats every current browser decodes. */
const IMAGE = /\.(png|jpe?g|gif|webp|avif|bmp|ico|svg)$/i;
const PDF = /\.pdf$/i;
/** Previews beyond this many would make the page slow for a PDF of a hundred pages. */
const MAX_PREVIEWS = 4;

/** @param {string} name @param {string} url */
function preview(name, url) {
  const inline = `${url}?inline`;
  if (IMAGE.test(name)) return el('figure', {}, [el('img', { src: inline, alt: `Preview of ${name}`, class: 'preview' }), el('figcaption', {}, [name])]);
  if (PDF.test(name)) return el('figure', { class: 'pdf' }, [el('iframe', { src: inline, title: `Preview of ${name}`, class: 'preview pdf' }), el('figcaption', {}, [name])]);
  return undefined;
}

/** @param {string} name @param {string} url @param {number|undefined} size */
function fileItem(name, url, size) {
  const sizeText = el('span', { class: 'size' }, [size === undefined ? '' : ` (${formatBytes(size)})`]);
  if (size === undefined) void sizeOf(url).then((bytes) => (sizeText.textContent = bytes === undefined ? '' : ` (${formatBytes(bytes)})`));
  return el('li', {}, [el('a', { href: url, download: name, class: 'download' }, [`Download ${name}`]), sizeText]);
}

/** @param {any} status */
export function showResult(status) {
  const output = status.output ?? {};
  const box = byId('result');
  if (typeof output.url === 'string' && status.step === 'finished' && typeof output.filename === 'string') {
    const base = absolute(output.url);
    /** @type {{ name: string, url: string, size?: number }[]} */
    const files = Array.isArray(output.files)
      ? output.files.map((/** @type {string} */ name) => ({ name, url: `${base}/${encodeURIComponent(name)}` }))
      : [{ name: output.filename, url: base, size: output.size }];
    const parts = [el('h3', {}, [files.length === 1 ? 'Result' : `Result: ${files.length} files`])];
    if (files.length > 1) {
      const all = `Download all (${output.filename}${typeof output.size === 'number' ? `, ${formatBytes(output.size)}` : ''})`;
      parts.push(el('p', {}, [el('a', { href: base, download: output.filename, class: 'download-all' }, [all])]));
    }
    parts.push(el('ul', { class: 'files' }, files.map((f) => fileItem(f.name, f.url, f.size))));
    const previews = files.slice(0, MAX_PREVIEWS).map((f) => preview(f.name, f.url)).filter((p) => p !== undefined);
    if (previews.length > 0) parts.push(el('div', { class: 'previews' }, previews));
    box.replaceChildren(...parts);
  }
  if (status.info !== undefined) {
    const table = byId('info');
    const rows = flatten(status.info).map(([k, v]) => el('tr', {}, [el('th', { scope: 'row' }, [k]), el('td', {}, [v])]));
    table.replaceChildren(el('caption', {}, ['File information']), el('tbody', {}, rows));
    table.hidden = false;
  }
}

export function clearResult() {
  byId('result').replaceChildren();
  byId('info').hidden = true;
}
