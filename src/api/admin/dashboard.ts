// bull-board, the queue dashboard, at /admin/queues: the conversion queue always read-only, the
// notification queue writable with ADMIN_WRITE. Conversions are admitted by the fair queue
// (src/core/queue.ts), whose per-key slots BullMQ does not know: removing a waiting job would
// keep its slot taken and leave its process queued for ever, retrying a failed one would run a
// process that already ended, and adding one would bypass admission. Notification jobs have no
// such bookkeeping: retrying a failed callback is what an operator wants after the receiver is
// fixed.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from '../context.js';

export interface DashboardOptions {
  readonly queues: AdminDeps['queues'];
  /** ADMIN_WRITE: notification jobs may be retried, promoted and removed. */
  readonly writable: boolean;
  /** Where the dashboard is mounted, for the page's <base href>. */
  readonly basePath: string;
}

export async function dashboardRoutes(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const serverAdapter = new FastifyAdapter().setBasePath(options.basePath);
  createBullBoard({
    queues: [
      ...options.queues.conversion.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true, description: 'Conversions admitted by the fair queue, one queue per engine class (read-only: their slots are kept outside BullMQ)' })),
      new BullMQAdapter(options.queues.notification, { readOnlyMode: !options.writable, description: 'Callbacks and e-mails of ended processes' }),
    ],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'openconvert', hideDocsLink: true } },
  });
  await app.register(serverAdapter.registerPlugin());
}
