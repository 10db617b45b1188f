// SIGNED_URLS: the operator's signed-URL bases (wire spec 13). Each has an id (the last part of
// its base URL, `<public url>/v2/signed-urls/<id>`), its own signing secret, and the API key
// whose jobs its URLs run. Declared in settings.ts; errors never show a secret or a key.
import { fail } from './error.js';

export interface SignedUrlBase {
  /** The base's id: `[A-Za-z0-9_-]{1,64}`, the last path segment of its URL. */
  readonly id: string;
  /** The HMAC-SHA256 signing secret clients sign with. */
  readonly secret: string;
  /** The API key (of API_KEYS or KEYS_FILE) that owns, and is billed for, its jobs. */
  readonly apiKey: string;
}

export const SIGNED_URLS_RULE = 'a JSON array of {"id": "[A-Za-z0-9_-]{1,64}", "secret": "at least 16 characters", "api_key": "a key of API_KEYS or KEYS_FILE"}';
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_BASES = 1000;

function parseEntry(entry: unknown, index: number, name: string): SignedUrlBase {
  const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  const where = `entry ${index + 1}`;
  if (typeof item.id !== 'string' || !ID.test(item.id)) fail(name, `${where}: "id" must match [A-Za-z0-9_-]{1,64}`);
  if (typeof item.secret !== 'string' || item.secret.length < 16) fail(name, `${where} (${item.id}): "secret" must be a string of at least 16 characters`);
  if (typeof item.api_key !== 'string' || item.api_key === '') fail(name, `${where} (${item.id}): "api_key" must name the API key whose jobs the URLs run`);
  return { id: item.id, secret: item.secret, apiKey: item.api_key };
}

export function parseSignedUrls(raw: string | undefined, name: string): readonly SignedUrlBase[] {
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return fail(name, `is not valid JSON; it must be ${SIGNED_URLS_RULE}`);
  }
  if (!Array.isArray(parsed) || parsed.length > MAX_BASES) return fail(name, `must be ${SIGNED_URLS_RULE} (at most ${MAX_BASES})`);
  const bases = parsed.map((entry, index) => parseEntry(entry, index, name));
  const ids = new Set(bases.map((b) => b.id));
  if (ids.size !== bases.length) fail(name, 'names one id twice; each base needs its own id');
  return bases;
}
