// Converts one case of the format matrix through a fresh test server and says why it failed:
//   npx tsx test/formats/convert-one.ts <inputformat> <outputformat> <engine>
// (what a failing line of `npm run test:formats` names), for finding a fault without the whole run.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestServer } from '../helpers/server.js';
import { startWebPages } from '../helpers/web-pages.js';
import { convertCase } from './matrix.js';
async function main(): Promise<void> {
  const [input, output, converter] = process.argv.slice(2);
  const server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } });
  const web = await startWebPages();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-one-'));
  try {
    await convertCase({ server, web, dir }, { inputformat: input ?? '', outputformat: output ?? '', converter: converter ?? '' });
    console.log('ok');
  } catch (e) {
    console.log('FAIL', e instanceof Error ? e.message : e);
  }
  await server.stop();
  await web.stop();
}
void main();
