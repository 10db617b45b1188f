// Per-request helpers shared by the routes: who is calling, where URLs should point, and a
// signal that aborts a long wait when the client goes away.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/index.js';
import type { Account, AccountRegistry } from '../core/accounts.js';
import type { Metrics } from '../core/metrics.js';
import type { PresetStore } from '../core/presets.js';
import type { UsageStore } from '../core/usage.js';
import type { HealthService } from '../services/health-service.js';
import type { ProcessService } from '../services/process-service.js';
import type { TransferService } from '../services/transfer-service.js';
import type { Origin } from '../services/params.js';
import { apiKeyParam, type Params } from './params/normalize.js';

export interface ApiDeps {
  readonly config: Config;
  readonly accounts: AccountRegistry;
  readonly processes: ProcessService;
  readonly transfers: TransferService;
  readonly usage: UsageStore;
  readonly presets: PresetStore;
  /** Readiness checks for /readyz (absent: /readyz answers 503). */
  readonly health?: HealthService;
  /** This process's metrics for /metrics and the request counters (absent: none). */
  readonly metrics?: Metrics;
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

/** The key from `Authorization: Bearer`, else from the parameters (query or body). */
export function apiKeyOf(request: FastifyRequest, params: Params): string | undefined {
  const header = request.headers.authorization;
  const bearer = header === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  return bearer ?? apiKeyParam(params);
}

/** The caller's account (401 without a key, 403 for an unknown one), counted against its rate (429). */
export async function authenticate(request: FastifyRequest, params: Params, deps: Pick<ApiDeps, 'accounts' | 'usage'>): Promise<Account> {
  const account = deps.accounts.resolve(apiKeyOf(request, params));
  await deps.usage.hit(account);
  return account;
}

/** The account if the request carries a valid key, else undefined (process URLs need none). */
export function optionalAccount(request: FastifyRequest, params: Params, accounts: AccountRegistry): Account | undefined {
  try {
    return accounts.resolve(apiKeyOf(request, params));
  } catch {
    return undefined;
  }
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
