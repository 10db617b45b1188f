// POST|GET /convert: create and start in one call. A multipart body may carry the file before
// the API key (one Go client does this); then the files are spooled until the key has been
// checked (see ../spool.ts), then linked into the process's files. With the key known first
// (header, query, or an apikey field before the file), file parts stream straight into the process.
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Account } from '../../core/accounts.js';
import type { StartSession } from '../../services/start-session.js';
import { authenticate, callerFieldBounds, identifyCaller, knownAccount } from '../caller.js';
import { originOf, type ApiDeps } from '../context.js';
import { requestTrace } from '../observability/request-tracing.js';
import { mergeParams, toCreateParams, toStartParams, type Params } from '../params/normalize.js';
import { readParams } from '../params/read.js';
import { sendStarted } from '../respond.js';
import { ApiQuery, StatusObject, processErrorResponses } from '../schemas.js';
import { Spool, type SharedBudget } from '../spool.js';

export function convertRoutes(app: FastifyInstance, deps: ApiDeps, keylessSpool: SharedBudget): void {
  app.route({
    method: ['POST', 'GET'],
    url: '/convert',
    schema: { querystring: ApiQuery, response: { 200: StatusObject, ...processErrorResponses } },
    onRequest: identifyCaller(deps),
    handler: async (request, reply) => {
      const flow = new ConvertFlow(request, deps, keylessSpool);
      try {
        const { record, start } = await flow.run();
        return await sendStarted(reply, deps, record, start);
      } catch (error) {
        await flow.abandon();
        throw error;
      } finally {
        await flow.spool.discard();
      }
    },
  });
}

/** One /convert: the body (files spooled or staged), the key, the process, its start. */
class ConvertFlow {
  readonly spool: Spool;
  private session: StartSession | undefined;

  constructor(
    private readonly request: FastifyRequest,
    private readonly deps: ApiDeps,
    keylessSpool: SharedBudget,
  ) {
    // Before the key is known: any key's limit, for all spooled parts together.
    const maxBytes = Math.max(deps.config.account.maxsizeMb, deps.accounts.largestMaxsizeMb) * 1024 * 1024;
    this.spool = new Spool(path.join(deps.config.worker.tempDir, 'incoming'), keylessSpool, maxBytes);
  }

  async run() {
    const params = await readParams(this.request, callerFieldBounds(this.request, this.deps), (stream, filename) => this.takeFile(stream, filename));
    const account = await authenticate(this.request, params, this.deps);
    this.spool.release();
    const session = await this.open(account, params);
    await this.spool.drain((file, filename) => session.stageFile(file, filename));
    const start = toStartParams(params);
    return { record: await session.commit(start, requestTrace(this.request)), start };
  }

  /** A file part: into the process when the caller is known already (and no part waits in the spool), else to the spool. */
  private async takeFile(stream: Readable, filename: string): Promise<unknown> {
    const account = knownAccount(this.request);
    if (account === undefined || this.spool.holdsFiles) return this.spool.add(stream, filename, account === undefined);
    // One process for all file parts (mode=combine / archive send several).
    const session = await this.open(account, mergeParams(this.request.query, undefined));
    return session.stageUpload(stream, filename);
  }

  private async open(account: Account, params: Params): Promise<StartSession> {
    this.session ??= await this.deps.processes.createAndOpenStart(account, toCreateParams(params), originOf(this.request, this.deps.config));
    return this.session;
  }

  /** A failed /convert leaves no process behind. */
  async abandon(): Promise<void> {
    await this.session?.abandon();
    const id = this.session?.processId;
    if (id !== undefined) await this.deps.processes.delete(id).catch(() => undefined);
  }
}
