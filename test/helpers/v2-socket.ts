// Sockets of the real-time API (wire spec 12) against a local test server. The Node SDKs open
// their socket on first subscribe to a hard-coded CloudConvert host; pointSdkSocket hands the
// SDK instance a socket to the test server instead (its private `socket` field, set before the
// first subscribe), so the SDK's own subscribe and event code runs unchanged.
import { io, type Socket } from 'socket.io-client';

/** A websocket-only client, as the SDKs open it. */
export function openSocket(baseUrl: string): Socket {
  return io(baseUrl, { transports: ['websocket'], reconnection: false, forceNew: true });
}

/** Gives an SDK instance (3.0.0 or 2.3.7) a socket to `baseUrl`; returns it for the test to close. */
export function pointSdkSocket(sdk: object, baseUrl: string): Socket {
  const socket = openSocket(baseUrl);
  Object.assign(sdk, { socket, subscribedChannels: new Map<string, boolean>() });
  return socket;
}

export interface SubscribeAnswer {
  readonly ok: boolean;
  readonly channel: string | null;
  readonly message?: string;
}

/**
 * Subscribes `socket` to `channel` with `key` and waits for the server's answer (an ack). The
 * server answers a socket's subscribes in order, so this also tells that earlier ones (the SDK's)
 * have been handled.
 */
export async function subscribe(socket: Socket, channel: string, key: string): Promise<SubscribeAnswer> {
  return (await socket.timeout(30_000).emitWithAck('subscribe', { channel, auth: { headers: { Authorization: `Bearer ${key}` } } })) as SubscribeAnswer;
}

/** Every `(channel, data)` of `event` the socket receives from now on. */
export function collect(socket: Socket, event: string): Array<{ channel: string; data: Record<string, any> }> {
  const seen: Array<{ channel: string; data: Record<string, any> }> = [];
  socket.on(event, (channel: string, data: Record<string, any>) => seen.push({ channel, data }));
  return seen;
}

/** Resolves with the first `(channel, data)` of `event` on `channel`; rejects after `ms`. */
export function nextEvent(socket: Socket, event: string, channel: string, ms = 30_000): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} on ${channel} within ${ms} ms`));
    }, ms);
    const listener = (got: string, data: Record<string, any>): void => {
      if (got !== channel) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(data);
    };
    socket.on(event, listener);
  });
}
