// Delivers one callback: GET <target>?id=...&url=...&step=..., through the private-address
// guard. A network error or a status >= 500 throws, so BullMQ retries; anything else is done.
// Traced, the request is a client span whose `traceparent` header the target receives.
import http from 'node:http';
import https from 'node:https';
import type { CallbackJob } from '../../src/core/jobs.js';
import { assertAllowedHost, guardedLookup, type AddressPolicy } from '../../src/core/net/address-guard.js';
import { inChildSpan, SpanKind, withTraceHeaders } from '../../src/core/trace-context.js';

export interface CallbackSettings extends AddressPolicy {
  readonly timeoutMs: number;
}

/** The callback URL with the process's id, url and step appended (after `&` if it has a query). */
export function callbackUrl(job: Pick<CallbackJob, 'target' | 'processId' | 'processUrl' | 'step'>): URL {
  const url = new URL(job.target);
  url.searchParams.append('id', job.processId);
  url.searchParams.append('url', job.processUrl);
  url.searchParams.append('step', job.step);
  return url;
}

export class CallbackFailed extends Error {
  constructor(
    message: string,
    /** False for answers that a retry will not change (they are not retried). */
    readonly retry: boolean,
  ) {
    super(message);
    this.name = 'CallbackFailed';
  }
}

/** Resolves with the HTTP status of the callback target's answer. */
export async function deliverCallback(job: CallbackJob, settings: CallbackSettings): Promise<number> {
  const url = callbackUrl(job);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CallbackFailed(`callback scheme ${url.protocol} is not allowed`, false);
  assertAllowedHost(url.hostname, settings);
  const client = url.protocol === 'https:' ? https : http;
  // Only the host: the callback URL's path and query may hold the client's own tokens.
  const attributes = { 'http.request.method': 'GET', 'server.address': url.hostname, 'url.scheme': url.protocol.slice(0, -1), 'openconvert.process_id': job.processId };
  return inChildSpan('GET', { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const headers = withTraceHeaders({ 'user-agent': 'openconvert/1 (CloudConvert v1 compatible)' });
    const status = await new Promise<number>((resolve, reject) => {
      const request = client.get(url, { agent: false, lookup: guardedLookup(settings), signal: AbortSignal.timeout(settings.timeoutMs), headers }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.once('error', reject);
    });
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) throw new CallbackFailed(`callback target answered HTTP ${status}`, true);
    return status;
  });
}
