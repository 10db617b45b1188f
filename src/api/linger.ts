// Answers given before a request's body has arrived (too large, no key, throttled): the rest of
// the body is read and dropped, never buffered, and the connection is closed gently. Closing at
// once with unread data makes the kernel send a reset, which often destroys the answer before the
// client has read it; so the server half-closes, keeps draining a few seconds, then closes.
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** How long the rest of a refused body is drained before the connection is cut. */
const LINGER_MS = 5000;

export function closeAfterAnswer(request: FastifyRequest, reply: FastifyReply): void {
  const { raw } = request;
  raw.unpipe();
  raw.resume(); // flowing without listeners: what still arrives is dropped
  // "Connection: close" tells the client not to reuse the connection. Node then calls the
  // socket's destroySoon() once the answer is written; this socket's lingers instead.
  void reply.header('Connection', 'close');
  const socket: (Socket & { destroySoon?: () => void }) | null = raw.socket as Socket | null;
  if (socket === null || socket.destroyed) return; // the client is gone already
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
}
