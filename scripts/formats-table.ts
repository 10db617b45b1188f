// Prints the formats tables, generated from the catalog; with --write, puts it into
// docs/formats.md between its markers (`npm run docs:formats`).
import { readFile, writeFile } from 'node:fs/promises';
import { renderFormatsPage, withBreadth } from '../src/core/catalog/breadth.js';

const PAGE = new URL('../docs/formats.md', import.meta.url);

async function main(): Promise<void> {
  const table = renderFormatsPage();
  if (!process.argv.includes('--write')) {
    process.stdout.write(`${table}\n`);
    return;
  }
  await writeFile(PAGE, withBreadth(await readFile(PAGE, 'utf8'), table));
  console.log('docs/formats.md: formats table updated');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
