// @ts-check
// Small DOM helpers. Text always goes in through textContent or attributes, never as HTML.

/**
 * @param {string} tag
 * @param {Record<string, string | boolean | undefined>} [attrs]
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

/** @template {HTMLElement} T @param {string} id @returns {T} */
export function byId(id) {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`#${id} is missing from the page`);
  return /** @type {T} */ (node);
}

/** @param {HTMLSelectElement} select @param {{ value: string, label: string }[]} items @param {string} [keep] */
export function fillSelect(select, items, keep) {
  select.replaceChildren(...items.map((item) => el('option', { value: item.value }, [item.label])));
  if (keep !== undefined && items.some((item) => item.value === keep)) select.value = keep;
}

/** Flattens nested info into rows: streams.0.codec -> value. @param {unknown} value @param {string} prefix @returns {[string, string][]} */
export function flatten(value, prefix = '') {
  if (value === null || typeof value !== 'object') return [[prefix || 'value', value === null ? '' : String(value)]];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (entries.length === 0) return [[prefix || 'value', '']];
  return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : String(k)));
}

/** 1536 -> "1.5 KB". @param {number} bytes */
export function formatBytes(bytes) {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
