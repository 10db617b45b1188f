// Prints the configuration table, generated from the settings' declarations; with --write, puts
// it into docs/configuration.md between its markers (`npm run docs:config`).
import { readFile, writeFile } from 'node:fs/promises';
import { renderConfigTable, withTable } from '../src/config/docs.js';

const PAGE = new URL('../docs/configuration.md', import.meta.url);

async function main(): Promise<void> {
  const table = renderConfigTable();
  if (!process.argv.includes('--write')) {
    process.stdout.write(`${table}\n`);
    return;
  }
  await writeFile(PAGE, withTable(await readFile(PAGE, 'utf8'), table));
  console.log('docs/configuration.md: configuration table updated');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
