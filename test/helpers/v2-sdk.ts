// The official CloudConvert Node SDKs for API v2, unchanged, pointed at a local test server the
// way wire spec section 16 describes: both hard-code the sandbox hosts, so the API host becomes
// `<server>/v2/` and the sync host `<server>/sync/v2/`. Any other base (a real CloudConvert host
// the mapping does not know) throws, so no test can reach the internet by accident.
import CloudConvert3 from 'cloudconvert-v3';
import CloudConvert2 from 'cloudconvert-v2';
import { TEST_KEY } from './test-keys.js';

export type Sdk3 = InstanceType<typeof CloudConvert3>;
export type Sdk2 = InstanceType<typeof CloudConvert2>;

/** The sandbox base URLs the SDKs use, and where each goes on the test server. */
function localBase(baseUrl: string, sdkBase: string): string {
  const map: Readonly<Record<string, string>> = {
    'https://api.sandbox.cloudconvert.com/v2/': `${baseUrl}/v2/`,
    'https://sync.api.sandbox.cloudconvert.com/v2/': `${baseUrl}/sync/v2/`,
  };
  const local = map[sdkBase];
  if (local === undefined) throw new Error(`The SDK asked for base ${sdkBase}, which the test does not map to the local server.`);
  return local;
}

/**
 * Node SDK 3.0.0 (fetch): every request, the sync waits included, goes through the public
 * `callWithBase(baseURL, ...)`; upload forms are absolute URLs and pass `new URL(route, base)`
 * unchanged, so only the base needs rewriting, on this instance, with no global patch.
 */
export function sdk3(baseUrl: string, key = TEST_KEY): Sdk3 {
  const cc = new CloudConvert3(key, true);
  const callWithBase = cc.callWithBase.bind(cc);
  cc.callWithBase = (base, ...rest) => callWithBase(localBase(baseUrl, base), ...rest);
  return cc;
}

/**
 * Node SDK 2.3.7 (axios): its own axios instance carries the API base and `wait` passes the sync
 * base per request; an interceptor on that instance rewrites both. Uploads go through the global
 * axios to the form's URL, which is already local.
 */
export function sdk2(baseUrl: string, key = TEST_KEY): Sdk2 {
  const cc = new CloudConvert2(key, true);
  cc.axios.interceptors.request.use((config) => ({ ...config, baseURL: localBase(baseUrl, config.baseURL ?? '') }));
  return cc;
}
