// GET /admin/pending: the fair queue's lists per API key (how many processes hold a slot, how
// many wait for one), which BullMQ's dashboard cannot show: pending processes are not BullMQ jobs.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AccountRegistry } from '../../core/accounts.js';
import { pendingReport } from '../../services/pending-report.js';
import type { AdminDeps } from '../context.js';
import { ErrorBody } from '../schemas.js';

const Count = Type.Integer({ minimum: 0 });
const KeySlots = Type.Object({
  account: Type.String({ description: 'The first characters of the account id (a hash of the API key)' }),
  name: Type.Union([Type.String(), Type.Null()], { description: 'The key’s name in KEYS_FILE' }),
  concurrent: Type.Union([Type.Integer(), Type.Null()], { description: 'Its conversions at once in each engine class; null for a key removed since' }),
  engineClass: Type.Union([Type.Literal('light'), Type.Literal('heavy')], { description: 'The engine class whose slots these are: each class has its own queue and its own slots per key' }),
  running: Count,
  pending: Count,
});
const PendingBody = Type.Object({ pending: Count, running: Count, keys: Type.Array(KeySlots) });

export function pendingRoutes(app: FastifyInstance, deps: { readonly admin: AdminDeps; readonly accounts: AccountRegistry }): void {
  const schema = { summary: 'Per API key and engine class: processes holding a slot of the fair queue, and waiting for one (ADMIN_KEY)', tags: ['operations'], response: { 200: PendingBody, 401: ErrorBody } };
  app.get('/pending', { schema }, async () => pendingReport(deps.admin.slots, deps.accounts));
}
