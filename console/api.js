// @ts-check
// Calls to this server. The key goes only into an Authorization header, and only to this page's
// own origin; process, upload and download URLs need no key (their ids are the capability).

/** An API error with the server's own message (`error`) and, when it sent one, its `hint`. */
export class ApiError extends Error {
  /** @param {string} message @param {number} status @param {string} [hint] */
  constructor(message, status, hint) {
    super(message);
    this.status = status;
    this.hint = hint;
  }
}

/** Absolute URL for a protocol-relative one from a response. @param {string} url */
export const absolute = (url) => (url.startsWith('//') ? `${location.protocol}${url}` : url);

/**
 * The body of an answer as JSON, or the ApiError it stands for.
 * @param {number} status @param {boolean} ok @param {string} text @returns {any}
 */
function parse(status, ok, text) {
  let data;
  try {
    data = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(`The server answered ${status} with a body that is not JSON.`, status);
  }
  // A failed process answers with its status object (step "error") under 4xx/5xx: return it.
  if (!ok && !(data && data.step === 'error')) {
    // `error` is CloudConvert's wording; `hint` (when present) says what exactly was wrong.
    const message = typeof data?.error === 'string' ? data.error : `The server answered ${status}.`;
    throw new ApiError(message, status, typeof data?.hint === 'string' ? data.hint : undefined);
  }
  return data;
}

/**
 * @param {string} url
 * @param {{ method?: string, key?: string, json?: unknown, body?: BodyInit, signal?: AbortSignal }} [options]
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
  const response = await fetch(target, { method: options.method ?? 'GET', headers, body, credentials: 'omit', cache: 'no-store', signal: options.signal });
  return parse(response.status, response.ok, await response.text());
}

/**
 * POSTs a multipart form with XMLHttpRequest, the one browser API that reports upload progress.
 * Aborting `signal` stops the upload; the promise then rejects with an AbortError.
 * @param {string} url @param {FormData} form @param {(loaded: number, total: number) => void} onProgress
 * @param {AbortSignal} signal @returns {Promise<any>}
 */
export function upload(url, form, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', new URL(absolute(url), location.href));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : 0);
    xhr.onload = () => {
      try {
        resolve(parse(xhr.status, xhr.status >= 200 && xhr.status < 300, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new ApiError('The upload failed: the connection to the server broke off.', 0));
    const cancelled = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    xhr.onabort = cancelled;
    if (signal.aborted) return cancelled();
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** HEAD requests in flight at most: a PDF split into 200 pages must not send 200 at once. */
const SIZE_REQUESTS = 4;
let sizeRequests = 0;
/** @type {(() => void)[]} */
const waitingForSize = [];

/** The size of a download, from a HEAD request (no body is sent). @param {string} url @returns {Promise<number|undefined>} */
export async function sizeOf(url) {
  if (sizeRequests < SIZE_REQUESTS) sizeRequests++;
  else await new Promise((resolve) => waitingForSize.push(() => resolve(undefined))); // a finished request hands its slot over
  try {
    const response = await fetch(new URL(absolute(url), location.href), { method: 'HEAD', credentials: 'omit', cache: 'no-store' }).catch(() => undefined);
    const length = response?.ok ? Number(response.headers.get('content-length')) : NaN;
    return Number.isFinite(length) ? length : undefined;
  } finally {
    const next = waitingForSize.shift();
    if (next === undefined) sizeRequests--;
    else next();
  }
}
