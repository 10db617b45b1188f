// OpenStack Swift: Keystone v3 password auth (token in X-Subject-Token, the object-store
// endpoint of the asked region from the catalog), then objects with X-Auth-Token. Uploads send
// the file as a stream with its length; Swift stores it only when the whole body arrived.
import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import type { RemoteSettings } from '../remote/settings.js';
import { cloudRequest, readText } from './http.js';
import { CloudStoreError, reasonOfStatus, type CloudListingSession, type CloudPlace, type CloudSecretOf, type ListableCloudStore } from './types.js';

interface CatalogEntry {
  readonly type?: string;
  readonly endpoints?: readonly { readonly interface?: string; readonly region?: string; readonly region_id?: string; readonly url?: string }[];
}

/** `<auth_url>/v3/auth/tokens`, whether auth_url ends in /v3 or not. */
export const keystoneTokensUrl = (authUrl: string): URL => new URL(`${authUrl.replace(/\/+$/, '').replace(/\/v3$/, '')}/v3/auth/tokens`);

function authBody(place: CloudPlace<'swift'>, secret: CloudSecretOf<'swift'>): Buffer {
  const user = { name: secret.username, domain: { id: 'default' }, password: secret.password };
  const scope = place.tenantName === undefined ? {} : { scope: { project: { name: place.tenantName, domain: { id: 'default' } } } };
  return Buffer.from(JSON.stringify({ auth: { identity: { methods: ['password'], password: { user } }, ...scope } }));
}

/** The public object-store URL of `region` (any region when none is asked). */
export function swiftEndpoint(catalog: readonly CatalogEntry[], region: string | undefined): string {
  const endpoints = catalog.filter((e) => e.type === 'object-store').flatMap((e) => e.endpoints ?? []).filter((e) => e.interface === undefined || e.interface === 'public');
  const match = endpoints.find((e) => region === undefined || e.region === region || e.region_id === region);
  if (match?.url === undefined) {
    const regions = [...new Set(endpoints.map((e) => e.region ?? e.region_id ?? '?'))].join(', ') || 'none';
    throw new CloudStoreError('failed', `the Keystone catalog has no public object-store endpoint${region === undefined ? '' : ` in region ${region}`} (regions: ${regions}); set region to one of them`);
  }
  return match.url.replace(/\/+$/, '');
}

async function authenticate(place: CloudPlace<'swift'>, secret: CloudSecretOf<'swift'>, settings: RemoteSettings, signal: AbortSignal): Promise<{ token: string; endpoint: string }> {
  const answer = await cloudRequest(keystoneTokensUrl(place.authUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: authBody(place, secret), signal }, settings);
  const text = await readText(answer);
  const status = answer.statusCode ?? 0;
  if (status < 200 || status > 299) throw new CloudStoreError(reasonOfStatus(status === 404 ? 0 : status), `Keystone answered HTTP ${status}`);
  const token = answer.headers['x-subject-token'];
  if (typeof token !== 'string' || token === '') throw new CloudStoreError('failed', 'Keystone gave no X-Subject-Token header');
  let catalog: readonly CatalogEntry[] = [];
  try {
    catalog = (JSON.parse(text) as { token?: { catalog?: CatalogEntry[] } }).token?.catalog ?? [];
  } catch {
    throw new CloudStoreError('failed', 'Keystone answered with a body that is not JSON');
  }
  return { token, endpoint: swiftEndpoint(catalog, place.region) };
}

/** Counts bytes on their way to the socket, for progress. */
function counting(onProgress: (bytes: number) => void): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      onProgress(bytes);
      callback(null, chunk);
    },
  });
}

/** Swift's listing entries (a `subdir` entry only appears with a delimiter, which is not sent). */
interface SwiftEntry {
  readonly name?: string;
  readonly bytes?: number;
}

/** `GET <container>?format=json&prefix=`, paged by `marker` (the last name of the page before) until an empty page. */
async function listContainer(base: string, token: string, settings: RemoteSettings, ask: { prefix: string; limit: number; signal: AbortSignal }): Promise<{ name: string; size: number }[]> {
  const objects: { name: string; size: number }[] = [];
  const pageSize = Math.min(1000, ask.limit + 10);
  let marker: string | undefined;
  while (objects.length < ask.limit) {
    const url = new URL(base);
    url.search = new URLSearchParams({ format: 'json', prefix: ask.prefix, limit: String(pageSize), ...(marker === undefined ? {} : { marker }) }).toString();
    const answer = await cloudRequest(url, { method: 'GET', headers: { 'x-auth-token': token, accept: 'application/json' }, signal: ask.signal }, settings);
    const text = await readText(answer, 8 * 1024 * 1024);
    if (answer.statusCode === 204) break;
    if (answer.statusCode !== 200) throw new CloudStoreError(reasonOfStatus(answer.statusCode), `GET (listing) answered HTTP ${answer.statusCode ?? '?'}`);
    let page: SwiftEntry[];
    try {
      page = JSON.parse(text) as SwiftEntry[];
    } catch {
      throw new CloudStoreError('failed', 'the container listing is not JSON');
    }
    if (!Array.isArray(page) || page.length === 0) break;
    for (const entry of page) if (typeof entry.name === 'string' && !entry.name.endsWith('/') && objects.length < ask.limit) objects.push({ name: entry.name, size: Number(entry.bytes ?? 0) || 0 });
    marker = page[page.length - 1]?.name;
    // A short page is not the end: a cluster's listing limit may be below the asked one.
    if (marker === undefined) break;
  }
  return objects;
}

function session(base: string, token: string, settings: RemoteSettings): CloudListingSession {
  const objectUrl = (name: string) => new URL(`${base}/${name.split('/').map(encodeURIComponent).join('/')}`);
  const refused = async (answer: import('node:http').IncomingMessage, what: string) => {
    await readText(answer, 64 * 1024).catch(() => '');
    return new CloudStoreError(reasonOfStatus(answer.statusCode), `${what} answered HTTP ${answer.statusCode ?? '?'}`);
  };
  return {
    list: (prefix, limit, signal) => listContainer(base, token, settings, { prefix, limit, signal }),
    async read(name, signal) {
      const answer = await cloudRequest(objectUrl(name), { method: 'GET', headers: { 'x-auth-token': token }, signal }, settings);
      if (answer.statusCode !== 200) throw await refused(answer, 'GET');
      const length = Number(answer.headers['content-length']);
      return { body: answer, ...(Number.isFinite(length) && answer.headers['content-length'] !== undefined ? { size: length } : {}) };
    },
    async write(name, file, signal, onProgress) {
      const body = counting(onProgress);
      // pipeline, not pipe: a read error must reach the request (and end it), not vanish.
      pipeline(createReadStream(file.path), body, () => undefined);
      const headers = { 'x-auth-token': token, 'content-type': file.contentType, 'content-length': file.size };
      const answer = await cloudRequest(objectUrl(name), { method: 'PUT', headers, body, signal }, settings);
      if (answer.statusCode !== 201 && answer.statusCode !== 200) throw await refused(answer, 'PUT');
      answer.resume();
    },
    async remove(name) {
      const answer = await cloudRequest(objectUrl(name), { method: 'DELETE', headers: { 'x-auth-token': token }, signal: AbortSignal.timeout(settings.timeoutMs) }, settings);
      answer.resume();
    },
    // Every request opened its own connection (agent: false): nothing stays open.
    close: () => undefined,
  };
}

export const swiftStore: ListableCloudStore<'swift'> = {
  who: (place, secret) => `user ${secret.username} at ${new URL(place.authUrl).host}`,
  async connect(place, secret, settings, signal) {
    const { token, endpoint } = await authenticate(place, secret, settings, signal);
    return session(`${endpoint}/${encodeURIComponent(place.container)}`, token, settings);
  },
};
