// Prints the README's formats table, generated from the catalog; with --write, puts it into
// README.md between its markers (`npm run docs:formats`).
import { readFile, writeFile } from 'node:fs/promises';
import { renderBreadthTable, withBreadth } from '../src/core/catalog/breadth.js';

const README = new URL('../README.md', import.meta.url);

async function main(): Promise<void> {
  const table = renderBreadthTable();
  if (!process.argv.includes('--write')) {
    process.stdout.write(`${table}\n`);
    return;
  }
  await writeFile(README, withBreadth(await readFile(README, 'utf8'), table));
  console.log('README.md: formats table updated');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
