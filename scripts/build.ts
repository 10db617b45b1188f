// `npm run build`: compiles src/ and workers/ to JavaScript under dist/ (what the images run: no
// TypeScript loader at run time) and puts beside it the files the code finds relative to itself:
// every other file under src/ and workers/ (LibreOffice's bridge.py, mutool's *.mujs) and the
// console/ folder the API serves (console-routes.ts looks three folders up: dist/console/).
// `--out-dir <dir>` builds somewhere else (the tests build into a temp folder).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The folders tsconfig.build.json compiles. */
const COMPILED = ['src', 'workers'] as const;
/** Folders outside the compiled ones that the code reads beside itself. */
const ASSET_FOLDERS = ['console'] as const;
/** Files of those folders that are for the editor, not for the running server. */
const NOT_SHIPPED = new Set(['tsconfig.json']);

function outDirFromArgs(argv: readonly string[]): string {
  const index = argv.indexOf('--out-dir');
  const given = index >= 0 ? argv[index + 1] : 'dist';
  if (given === undefined || given === '') throw new Error('--out-dir needs a folder');
  const outDir = path.resolve(ROOT, given);
  // The folder is emptied first (no stale modules ship): never the repository or a folder around it.
  if (!path.relative(outDir, ROOT).startsWith('..') || COMPILED.some((dir) => !path.relative(path.join(ROOT, dir), outDir).startsWith('..'))) {
    throw new Error(`--out-dir ${outDir} would overwrite the sources: choose a folder of its own`);
  }
  return outDir;
}

async function compile(outDir: string): Promise<void> {
  const tsc = spawn(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' });
  const [code] = (await once(tsc, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`tsc failed (exit code ${code})`);
}

/** Every file under the compiled folders that tsc does not emit, to the same place under outDir. */
async function copySiblingAssets(outDir: string): Promise<string[]> {
  const copied: string[] = [];
  for (const dir of COMPILED) {
    const entries = await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
      const relative = path.relative(ROOT, path.join(entry.parentPath, entry.name));
      await cp(path.join(ROOT, relative), path.join(outDir, relative));
      copied.push(relative);
    }
  }
  for (const dir of ASSET_FOLDERS) {
    await cp(path.join(ROOT, dir), path.join(outDir, dir), { recursive: true, filter: (source) => !NOT_SHIPPED.has(path.basename(source)) });
    copied.push(`${dir}/`);
  }
  return copied;
}

async function main(): Promise<void> {
  const outDir = outDirFromArgs(process.argv.slice(2));
  await rm(outDir, { recursive: true, force: true });
  await compile(outDir);
  const assets = await copySiblingAssets(outDir);
  const shown = path.relative(process.cwd(), outDir);
  console.log(`build: ${shown.startsWith('..') ? outDir : shown} (JavaScript of ${COMPILED.join(', ')}; assets: ${assets.join(', ')})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
