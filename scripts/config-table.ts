// Prints the README's configuration table, generated from the settings' declarations; with
// --write, puts it into README.md between its markers (`npm run docs:config`).
import { readFile, writeFile } from 'node:fs/promises';
import { renderConfigTable, withTable } from '../src/config/docs.js';

const README = new URL('../README.md', import.meta.url);

async function main(): Promise<void> {
  const table = renderConfigTable();
  if (!process.argv.includes('--write')) {
    process.stdout.write(`${table}\n`);
    return;
  }
  await writeFile(README, withTable(await readFile(README, 'utf8'), table));
  console.log('README.md: configuration table updated');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
