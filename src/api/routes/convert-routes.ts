// POST|GET /convert: create and start in one call. A multipart body may carry the file before
// the API key (one Go client does this); then the files are spooled to temp files until the key
// has been checked.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { Account } from '../../core/accounts.js';
import { byteLimit } from '../../core/storage/local-file-store.js';
import type { StartSession } from '../../services/start-session.js';
import { authenticate, optionalAccount, originOf, type ApiDeps } from '../context.js';
import { mergeParams, toCreateParams, toStartParams } from '../params/normalize.js';
import { readParams } from '../params/read.js';
import { sendStarted } from '../respond.js';
import { ApiQuery, StatusObject, processErrorResponses } from '../schemas.js';

export function convertRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.route({
    method: ['POST', 'GET'],
    url: '/convert',
    schema: { querystring: ApiQuery, response: { 200: StatusObject, ...processErrorResponses } },
    handler: async (request, reply) => {
      const origin = originOf(request, deps.config);
      const open = async (account: Account, params: Parameters<typeof toCreateParams>[0]): Promise<StartSession> => {
        const record = await deps.processes.create(account, toCreateParams(params), origin);
        return deps.processes.openStart(record.id);
      };
      const early = optionalAccount(request, mergeParams(request.query, undefined), deps.accounts);
      let session: StartSession | undefined;
      const spooled: Array<{ path: string; filename: string }> = [];
      try {
        // Before the key is known: any key's limit, for all spooled parts together.
        let spoolBudget = Math.max(deps.config.account.maxsizeMb, deps.accounts.largestMaxsizeMb) * 1024 * 1024;
        const params = await readParams(request, async (stream: Readable, filename: string) => {
          if (early !== undefined) {
            // One process for all file parts (mode=combine / archive send several).
            session ??= await open(early, mergeParams(request.query, undefined));
            return session.stageUpload(stream, filename);
          }
          const spool = { path: await spoolPath(deps), filename };
          spooled.push(spool);
          const limit = byteLimit(spoolBudget);
          await pipeline(stream, limit, createWriteStream(spool.path));
          spoolBudget -= limit.bytes;
        });
        const account = await authenticate(request, params, deps);
        session ??= await open(account, params);
        for (const spool of spooled) await session.stageUpload(createReadStream(spool.path), spool.filename);
        const start = toStartParams(params);
        const record = await session.commit(start);
        return await sendStarted(reply, deps, record, start);
      } catch (error) {
        await session?.abandon();
        const id = session?.processId;
        if (id !== undefined) await deps.processes.delete(id).catch(() => undefined); // no orphan from a failed /convert
        throw error;
      } finally {
        await Promise.all(spooled.map((spool) => rm(spool.path, { force: true })));
      }
    },
  });
}

async function spoolPath(deps: ApiDeps): Promise<string> {
  const dir = path.join(deps.config.worker.tempDir, 'incoming');
  await mkdir(dir, { recursive: true });
  return path.join(dir, randomBytes(12).toString('hex'));
}
