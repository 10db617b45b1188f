// The real-time API of v2 (wire spec 12): a socket.io server on the API's own HTTP server (path
// /socket.io/), fed by the live events every node hears through Redis (core/v2/live-events.ts).
// Engine.IO v3 clients (Node SDK 2.2.x, socket.io-client 2) are accepted too (allowEIO3).
import type { FastifyInstance } from 'fastify';
import { Server, type Socket } from 'socket.io';
import type { LiveFeed } from '../../core/v2/live-events.js';
import type { TaskRepository } from '../../core/v2/task-repository.js';
import { channelOfRoom } from './channels.js';
import { FanOut } from './fan-out.js';
import { authorize, type SubscribeDeps, type SubscribeResult } from './subscriptions.js';

export interface RealtimeDeps extends SubscribeDeps {
  readonly feed: LiveFeed;
  readonly records: Pick<TaskRepository, 'getJob' | 'getTask' | 'getTasks'>;
  /** TRUST_PROXY: with `true`, the throttle counts the address in X-Forwarded-For. */
  readonly trustProxy: boolean | string;
}

/** Channels one socket may hold: a client follows a few jobs, not thousands. */
const MAX_CHANNELS_PER_SOCKET = 200;
/** Subscribe messages are small; a large frame is a mistake or an attack. */
const MAX_MESSAGE_BYTES = 64 * 1024;

/** Sent back for a refused subscribe, as `(channel, {message})` like every event. */
export const SUBSCRIBE_FAILED = 'subscription.failed';

function clientAddress(socket: Socket, trustProxy: boolean | string): string {
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  return trustProxy === true && first !== undefined && first !== '' ? first : socket.handshake.address;
}

function onConnection(socket: Socket, deps: RealtimeDeps, ready: Promise<void>): void {
  // One subscribe after the other: a client that subscribes twice sees the answers in order.
  let queue: Promise<unknown> = Promise.resolve();
  const answer = (result: SubscribeResult, ack: unknown): void => {
    if (typeof ack === 'function') ack(result.ok ? { ok: true, channel: result.channel } : { ok: false, channel: result.channel, message: result.message });
    else if (!result.ok) socket.emit(SUBSCRIBE_FAILED, result.channel, { message: result.message });
  };
  socket.on('subscribe', (request: unknown, ack?: unknown) => {
    queue = queue.then(async () => {
      if (socket.rooms.size > MAX_CHANNELS_PER_SOCKET) return answer({ ok: false, channel: null, message: `A socket may subscribe to ${MAX_CHANNELS_PER_SOCKET} channels at most; unsubscribe or open another socket.` }, ack);
      const result = await authorize(deps, request, clientAddress(socket, deps.trustProxy));
      // Joined only once this node hears the events: none published after the answer is lost.
      if (result.ok) await ready.then(() => socket.join(result.room));
      answer(result, ack);
    }).catch(() => answer({ ok: false, channel: null, message: 'This server cannot deliver events now. Connect again in a few seconds.' }, ack));
  });
  socket.on('unsubscribe', (request: unknown) => {
    const channel = typeof request === 'object' && request !== null ? (request as Record<string, unknown>)['channel'] : undefined;
    if (typeof channel !== 'string' || channel === socket.id) return;
    for (const room of socket.rooms) if (room === channel || room.startsWith(`${channel}#`)) void socket.leave(room);
  });
}

/** Attaches the socket server to `app.server`; it closes with the app. */
export function registerRealtime(app: FastifyInstance, deps: RealtimeDeps): void {
  const io = new Server(app.server, { path: '/socket.io/', allowEIO3: true, serveClient: false, maxHttpBufferSize: MAX_MESSAGE_BYTES, cors: { origin: '*' } });
  const fanOut = new FanOut(
    { listening: (room) => io.sockets.adapter.rooms.has(room), emit: (room, event, data) => io.to(room).emit(event, channelOfRoom(room), data) },
    deps.records,
    (error) => app.log.warn({ err: error }, 'a real-time event could not be delivered'),
  );
  const ready = deps.feed.start((event) => fanOut.push(event));
  ready.catch((error: unknown) => app.log.error({ err: error }, 'the real-time API could not subscribe to its events'));
  io.on('connection', (socket) => onConnection(socket, deps, ready));
  // Sockets end before the HTTP server closes (it would wait for upgraded connections); the
  // engine is closed, not `io`, since `io.close()` would close Fastify's server a second time.
  app.addHook('preClose', async () => {
    io.local.disconnectSockets(true);
    io.engine.close();
  });
  app.addHook('onClose', async () => deps.feed.close());
}
