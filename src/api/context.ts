// Per-request helpers shared by the routes: the API's dependencies, where URLs should point, and
// a signal that aborts a long wait when the client goes away. Who is calling: caller.ts.
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/index.js';
import type { AccountRegistry } from '../core/accounts.js';
import type { KeyFailures } from '../core/key-failures.js';
import type { Metrics } from '../core/metrics.js';
import type { PresetStore } from '../core/presets.js';
import type { ConversionQueue } from '../core/queue.js';
import type { UsageStore } from '../core/usage.js';
import type { WebhookStore } from '../core/v2/webhooks.js';
import type { RealtimeDeps } from './realtime/index.js';
import type { RedisReady } from './redis-guard.js';
import type { HealthService } from '../services/health-service.js';
import type { ProcessService } from '../services/process-service.js';
import type { TransferService } from '../services/transfer-service.js';
import type { V2Service } from '../services/v2-service.js';
import type { SignedUrlService } from '../services/signed-url-service.js';
import type { Origin } from '../services/params.js';

export interface ApiDeps {
  readonly config: Config;
  readonly accounts: AccountRegistry;
  readonly processes: ProcessService;
  /** API v2: jobs and tasks. */
  readonly v2: V2Service;
  /** API v2 signed URLs (GET /v2/signed-urls/<id>). */
  readonly signedUrls: SignedUrlService;
  readonly transfers: TransferService;
  readonly usage: UsageStore;
  /** Failed API-key attempts per client address (429 past the limit). */
  readonly keyFailures: KeyFailures;
  readonly presets: PresetStore;
  /** API v2 account webhooks (POST /v2/webhooks and friends). */
  readonly webhooks: WebhookStore;
  /** Readiness checks for /readyz (absent: /readyz answers 503). */
  readonly health?: HealthService;
  /** This process's metrics for /metrics and the request counters (absent: none). */
  readonly metrics?: Metrics;
  /** Whether Redis can take a command now (absent: always, as with in-memory stores). */
  readonly redisReady?: RedisReady;
  /** Ends every open `?wait` with `error` (called when the server closes). */
  readonly endWaits?: (error: Error) => void;
  /** The real-time API's event feed and records (absent, or SOCKET_IO=false: no socket server). */
  readonly realtime?: Pick<RealtimeDeps, 'feed' | 'records'>;
  /** What the operator's /admin routes show; they exist only with this and ADMIN_KEY. */
  readonly admin?: AdminDeps;
}

export interface AdminDeps {
  /** The BullMQ queues the dashboard shows. */
  readonly queues: { readonly conversion: readonly Queue[]; readonly notification: Queue };
  /** The fair queue's per-key slots and pending lists. */
  readonly slots: Pick<ConversionQueue, 'slots'>;
}

const HOST_HEADER = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/** Host and scheme for the URLs of a new process: PUBLIC_URL, else the request's Host header. */
export function originOf(request: FastifyRequest, config: Config): Origin {
  const publicUrl = config.server.publicUrl;
  if (publicUrl !== undefined) return { host: publicUrl.host, scheme: publicUrl.protocol === 'https:' ? 'https' : 'http' };
  const host = request.headers.host;
  const scheme = request.protocol === 'https' ? 'https' : 'http';
  if (host !== undefined && HOST_HEADER.test(host)) return { host, scheme };
  const address = request.server.addresses()[0];
  if (address === undefined || typeof address === 'string') return { host: 'localhost', scheme };
  return { host: `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`, scheme };
}

/** The reason a long wait stops when its client went away: nothing to answer, nothing wrong. */
export class ClientGoneError extends Error {
  constructor() {
    super('client disconnected');
    this.name = 'ClientGoneError';
  }
}

/** Aborts when the client disconnects before the response is complete. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new ClientGoneError());
  });
  return controller.signal;
}
