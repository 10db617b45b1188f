// @ts-check
// Calls to this server. The key goes only into an Authorization header, and only to this page's
// own origin; process, upload and download URLs need no key (their ids are the capability).

/** An API error with the server's own message. */
export class ApiError extends Error {
  /** @param {string} message @param {number} status */
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** Absolute URL for a protocol-relative one from a response. @param {string} url */
export const absolute = (url) => (url.startsWith('//') ? `${location.protocol}${url}` : url);

/**
 * @param {string} url
 * @param {{ method?: string, key?: string, json?: unknown, body?: BodyInit }} [options]
 * @returns {Promise<any>}
 */
export async function call(url, options = {}) {
  const target = new URL(absolute(url), location.href);
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (options.key && target.origin === location.origin) headers['Authorization'] = `Bearer ${options.key}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(target, { method: options.method ?? 'GET', headers, body, credentials: 'omit', cache: 'no-store' });
  const text = await response.text();
  let data;
  try {
    data = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(`The server answered ${response.status} with a body that is not JSON.`, response.status);
  }
  // A failed process answers with its status object (step "error") under 4xx/5xx: return it.
  if (!response.ok && !(data && data.step === 'error')) {
    // `error` is CloudConvert's wording; `hint` (when present) says what exactly was wrong.
    const message = typeof data?.error === 'string' ? data.error + (typeof data.hint === 'string' ? ` ${data.hint}` : '') : `The server answered ${response.status}.`;
    throw new ApiError(message, response.status);
  }
  return data;
}
