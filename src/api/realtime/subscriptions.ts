// Whether a `subscribe` message may join its channel: a well-formed channel, a known API key in
// `auth.headers.Authorization`, and a job, task or user of that key. Unknown keys count against
// the client's address, as on the HTTP routes, so sockets are no way around the throttle.
// Answers never say whether a job of another key exists: "not yours" and "none" read the same.
import type { AccountRegistry } from '../../core/accounts.js';
import { isAppError } from '../../core/errors.js';
import type { KeyFailures } from '../../core/key-failures.js';
import type { TaskRepository } from '../../core/v2/task-repository.js';
import { userIdOf } from '../../core/v2/wire.js';
import { CHANNEL_FORMS, parseChannel, roomOf, type Channel } from './channels.js';

export interface SubscribeDeps {
  readonly accounts: Pick<AccountRegistry, 'resolve'>;
  readonly keyFailures: Pick<KeyFailures, 'assertAllowed' | 'record'>;
  readonly records: Pick<TaskRepository, 'getJob' | 'getTask'>;
}

export type SubscribeResult = { readonly ok: true; readonly channel: string; /** The room to join (user channels: with their owner). */ readonly room: string } | { readonly ok: false; readonly channel: string | null; readonly message: string };

const MAX_CHANNEL_LENGTH = 200;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The key of `auth.headers.Authorization` ("Bearer <key>"), header name in any case. */
function bearerKey(request: unknown): string | undefined {
  const headers = field(field(request, 'auth'), 'headers');
  if (typeof headers !== 'object' || headers === null) return undefined;
  const name = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
  const value = name === undefined ? undefined : field(headers, name);
  return typeof value === 'string' ? /^Bearer\s+(\S{1,200})\s*$/i.exec(value)?.[1] : undefined;
}

async function owns(deps: SubscribeDeps, owner: string, channel: Channel): Promise<boolean> {
  switch (channel.kind) {
    case 'job':
    case 'job-tasks':
      return (await deps.records.getJob(channel.id))?.owner === owner;
    case 'task':
      return (await deps.records.getTask(channel.id))?.owner === owner;
    default:
      return channel.userId === userIdOf(owner);
  }
}

/** Decides one subscribe message; `client` is the address the failed-key throttle counts. */
export async function authorize(deps: SubscribeDeps, request: unknown, client: string): Promise<SubscribeResult> {
  const name = field(request, 'channel');
  if (typeof name !== 'string' || name.length > MAX_CHANNEL_LENGTH) return { ok: false, channel: null, message: `The subscribe message needs a channel (a string): one of ${CHANNEL_FORMS}.` };
  const channel = parseChannel(name);
  if (channel === undefined) return { ok: false, channel: name, message: `Unknown channel. The channel must be one of ${CHANNEL_FORMS} (ids as the API returns them).` };
  const key = bearerKey(request);
  if (key === undefined) return { ok: false, channel: name, message: 'The subscribe message needs auth.headers.Authorization: "Bearer <API key>".' };
  try {
    await deps.keyFailures.assertAllowed(client);
    const account = deps.accounts.resolve(key);
    if (await owns(deps, account.id, channel)) return { ok: true, channel: name, room: roomOf(name, channel, account.id) };
    return { ok: false, channel: name, message: 'This API key has no such job, task or user. Subscribe with the key that created it, to an id the API returned.' };
  } catch (error) {
    if (isAppError(error) && error.code === 'API_KEY_INVALID') await deps.keyFailures.record(client).catch(() => undefined);
    if (isAppError(error)) return { ok: false, channel: name, message: error.code === 'API_KEY_INVALID' ? 'The API key in auth.headers.Authorization is invalid.' : error.message };
    return { ok: false, channel: name, message: 'The subscription could not be checked (the server\'s store did not answer). Subscribe again in a few seconds.' };
  }
}
