// Static files of the API console. The file list is read once when the app is built and held in
// memory; a request names a file only by looking it up in that list, so no path from a request
// ever reaches the file system (no traversal, no symlinks followed later).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { appError } from '../../core/errors.js';
import type { ApiDeps } from '../context.js';
import { ConsoleFileParams } from '../schemas.js';
import { CONSOLE_HEADERS, contentSecurityPolicy } from './security-headers.js';

/** The folder of the console's assets: /console at the top of the repository. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../../console/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
/** Plain lower-case names only: what the console ships, nothing a request could bend. */
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.(?:html|js|css|svg)$/;

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

async function loadAssets(dir: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !ASSET_NAME.test(entry.name)) continue;
    const type = TYPES[path.extname(entry.name)];
    if (type !== undefined) assets.set(entry.name, { body: await readFile(path.join(dir, entry.name)), type });
  }
  return assets;
}

function send(reply: FastifyReply, asset: Asset, csp: string): FastifyReply {
  return reply.headers({ ...CONSOLE_HEADERS, 'Content-Security-Policy': csp, 'Content-Type': asset.type }).send(asset.body);
}

export async function consoleRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'config'>, dir: string = CONSOLE_DIR): Promise<void> {
  const assets = await loadAssets(dir);
  const page = assets.get('index.html');
  if (page === undefined) throw new Error(`The API console's index.html is missing from ${dir}.`);
  const csp = contentSecurityPolicy(deps.config.server.publicUrl?.origin);
  const notFound = (name: string) => appError('FILE_NOT_FOUND', `The console has no file "${name.slice(0, 80)}".`);

  app.get('/', { schema: { description: 'The API console: a web page to try conversions and copy them as code.' } }, async (_request, reply) => send(reply, page, csp));
  app.get<{ Params: { file: string } }>('/console/:file', { schema: { description: "An asset of the API console's page.", params: ConsoleFileParams } }, async (request, reply) => {
    const name = request.params.file;
    const asset = ASSET_NAME.test(name) ? assets.get(name) : undefined;
    if (asset === undefined) throw notFound(name);
    return send(reply, asset, csp);
  });
}
