// Who calls a key route, known as early as possible. A key in the Authorization header or in the
// query string is checked before the body is read, so the body is read with the budgets of a
// known caller; otherwise the small budgets of an unknown caller apply until an apikey field
// proves who it is. Every unknown key counts against the client's address (429 past the limit).
import type { FastifyRequest } from 'fastify';
import type { Account } from '../core/accounts.js';
import { AppError, appError, isAppError } from '../core/errors.js';
import type { ApiDeps } from './context.js';
import type { FieldBounds } from './params/field-meter.js';
import { apiKeyParam, mergeParams, type Params } from './params/normalize.js';

/** Text fields a multipart body may carry before its API key is known. */
export const TEXT_BEFORE_KEY_BYTES = 1024 * 1024;

type CallerDeps = Pick<ApiDeps, 'accounts' | 'usage' | 'keyFailures' | 'config'>;

interface CallerState {
  /** Whether the address was checked against the failed-key throttle. */
  checked: boolean;
  /** Keys judged in this request, so a repeated unknown key counts once. */
  readonly judged: Map<string, Account | AppError>;
  /** The first account proven: header or query key, or an apikey field. */
  account: Account | undefined;
}

const states = new WeakMap<FastifyRequest, CallerState>();

function stateOf(request: FastifyRequest): CallerState {
  let state = states.get(request);
  if (state === undefined) {
    state = { checked: false, judged: new Map(), account: undefined };
    states.set(request, state);
  }
  return state;
}

/** `Authorization: Bearer <key>`, else `apikey` in the query string: both known before the body. */
function keyBeforeBody(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const bearer = header === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  return bearer ?? apiKeyParam(mergeParams(request.query, undefined));
}

/** The account of `key`: 401 without one, 403 for an unknown one (counted against the address). */
async function judge(request: FastifyRequest, key: string | undefined, deps: CallerDeps): Promise<Account> {
  if (key === undefined || key === '') throw appError('API_KEY_MISSING');
  const { judged } = stateOf(request);
  const earlier = judged.get(key);
  if (earlier instanceof AppError) throw earlier;
  if (earlier !== undefined) return earlier;
  try {
    const account = deps.accounts.resolve(key);
    judged.set(key, account);
    return account;
  } catch (error) {
    if (isAppError(error)) judged.set(key, error);
    if (isAppError(error) && error.code === 'API_KEY_INVALID') await deps.keyFailures.record(request.ip);
    throw error;
  }
}

async function checkAddress(request: FastifyRequest, deps: CallerDeps): Promise<void> {
  const state = stateOf(request);
  if (state.checked) return;
  await deps.keyFailures.assertAllowed(request.ip);
  state.checked = true;
}

/**
 * onRequest hook of the key routes that read a body: an address over its failed keys gets 429
 * and a header or query key is checked (401/403), all before a byte of the body is read.
 */
export function identifyCaller(deps: CallerDeps): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    await checkAddress(request, deps);
    const key = keyBeforeBody(request);
    if (key !== undefined) stateOf(request).account = await judge(request, key, deps);
  };
}

/** The account proven so far in this request (header, query or an apikey field already read). */
export function knownAccount(request: FastifyRequest): Account | undefined {
  return states.get(request)?.account;
}

/** What the text fields of a multipart body on a key route may hold, given what is known of the caller. */
export function callerFieldBounds(request: FastifyRequest, deps: CallerDeps): FieldBounds {
  const state = stateOf(request);
  const totalBytes = deps.config.server.maxBodyBytes;
  if (state.account !== undefined) return { totalBytes };
  const acceptKey = async (key: string): Promise<boolean> => {
    try {
      state.account ??= await judge(request, key, deps);
      return true;
    } catch {
      return false; // judged (and counted) now; the 401/403 follows once the body is read
    }
  };
  return { totalBytes, beforeKeyBytes: TEXT_BEFORE_KEY_BYTES, acceptKey };
}

/**
 * The caller's account once the parameters are read: the first key proven (header, query, an
 * apikey field), else the body's apikey. 401 without a key, 403 for an unknown one, 429 for an
 * address over its failed keys or a key over its request rate.
 */
export async function authenticate(request: FastifyRequest, params: Params, deps: CallerDeps): Promise<Account> {
  await checkAddress(request, deps);
  const account = knownAccount(request) ?? (await judge(request, keyBeforeBody(request) ?? apiKeyParam(params), deps));
  await deps.usage.hit(account);
  return account;
}
