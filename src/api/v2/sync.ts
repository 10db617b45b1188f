// Which v2 requests block until their job or task has ended (wire spec 1, "the sync/async path
// collision"): the `/sync/v2/...` prefix, a Host with a `sync` label (`sync.api.example.com`),
// and every request that arrived on the SYNC_PORT listener (the Java SDK keeps only host and
// port of its sync base URL).
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';

const SYNC_LISTENER = Symbol('openconvert.syncListener');

/** Marks a request that arrived on the SYNC_PORT listener. */
export function markSyncListener(request: IncomingMessage): void {
  (request as IncomingMessage & { [SYNC_LISTENER]?: boolean })[SYNC_LISTENER] = true;
}

/** Whether the Host header names a sync host: a `sync` label anywhere in the name. */
export function isSyncHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return name.split('.').includes('sync');
}

export function isSyncRequest(request: FastifyRequest): boolean {
  return (request.raw as IncomingMessage & { [SYNC_LISTENER]?: boolean })[SYNC_LISTENER] === true || request.url.startsWith('/sync/') || isSyncHost(request.headers.host);
}
