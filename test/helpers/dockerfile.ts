// Reads the Dockerfile the way `docker build` would for the files it puts into the image, so a
// test can lay out exactly the runtime stage's tree (no Docker engine runs here) and boot the app
// from it. Only the instructions this project uses are modelled; anything else throws, so a
// Dockerfile change the model does not cover fails the test loudly instead of passing unseen.
import { cp, mkdir, readFile, stat, symlink } from 'node:fs/promises';
import path from 'node:path';

export interface Copy {
  /** The stage named by --from, or undefined for the build context. */
  readonly from: string | undefined;
  readonly sources: readonly string[];
  /** Absolute path in the image (relative destinations resolved against WORKDIR). */
  readonly dest: string;
  /** The destination was written with a trailing "/" (or names several sources): a folder. */
  readonly destIsDir: boolean;
}

export interface Stage {
  readonly name: string | undefined;
  /** The last WORKDIR of the stage ("/" when none). */
  readonly workdir: string;
  readonly copies: readonly Copy[];
}

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Joins continuation lines and drops comments and blank lines. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** COPY's words: the JSON form or whitespace-separated, with --flags first. */
function copyOf(args: string, workdir: string): Copy {
  let words = args.split(/\s+/);
  const flags = new Map<string, string>();
  while (words[0]?.startsWith('--')) {
    const [name = '', value = ''] = (words.shift() ?? '').slice(2).split('=');
    flags.set(name, value);
  }
  const rest = words.join(' ');
  if (rest.startsWith('[')) words = JSON.parse(rest) as string[];
  if (words.length < 2) throw new Error(`COPY needs a source and a destination: COPY ${args}`);
  const written = words[words.length - 1] ?? '';
  const sources = words.slice(0, -1);
  if (sources.some((s) => /[*?[]/.test(s))) throw new Error(`COPY with wildcards is not modelled by this test: COPY ${args}`);
  return { from: flags.get('from'), sources, dest: path.posix.resolve(workdir, written), destIsDir: written.endsWith('/') || sources.length > 1 };
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Array<{ name: string | undefined; workdir: string; copies: Copy[] }> = [];
  for (const { keyword, args } of instructions(text)) {
    if (keyword === 'FROM') {
      const name = /\bAS\s+(\S+)/i.exec(args)?.[1];
      stages.push({ name, workdir: '/', copies: [] });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (stage === undefined) continue; // ARG or a parser directive before the first FROM
    if (keyword === 'WORKDIR') stage.workdir = path.posix.resolve(stage.workdir, args);
    if (keyword === 'ADD') throw new Error(`ADD is not modelled by this test: ADD ${args}`);
    if (keyword === 'COPY') stage.copies.push(copyOf(args, stage.workdir));
  }
  return stages;
}

/** A .dockerignore as a predicate over context-relative paths (last matching rule wins). */
export function dockerignore(text: string): (relative: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = path.posix.normalize((negated ? line.slice(1) : line).replace(/^\/+/, ''));
      const source = pattern
        .split(/(\*\*|\*|\?)/)
        .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('');
      return { negated, regex: new RegExp(`^${source}$`) };
    });
  return (relative) => {
    // A rule matching a parent folder excludes everything under it, as Docker's matcher does.
    const prefixes = relative.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) if (prefixes.some((p) => rule.regex.test(p))) ignored = !rule.negated;
    return ignored;
  };
}

export interface Layout {
  /** The folder standing for the runtime stage's WORKDIR. */
  readonly root: string;
  /** Paths (relative to root) the copies produced, in Dockerfile order. */
  readonly copied: readonly string[];
}

/**
 * Lays out the last stage's WORKDIR under `target`: build-context sources as COPY would place them
 * (a folder's contents, minus .dockerignore), and the `node_modules` of an earlier stage as a
 * symlink to the repository's (that stage is `npm ci`). Copies outside WORKDIR are not the app's.
 */
export async function layOutRuntime(repo: string, target: string): Promise<Layout> {
  const stages = parseDockerfile(await readFile(path.join(repo, 'Dockerfile'), 'utf8'));
  const runtime = stages[stages.length - 1];
  if (runtime === undefined) throw new Error('The Dockerfile has no FROM');
  const ignored = dockerignore(await readFile(path.join(repo, '.dockerignore'), 'utf8').catch(() => ''));
  const copied: string[] = [];
  for (const copy of runtime.copies) {
    const destRel = path.posix.relative(runtime.workdir, copy.dest);
    if (destRel.startsWith('..')) continue;
    for (const source of copy.sources) {
      const placed = copy.from !== undefined ? await linkFromStage(repo, target, stages, copy.from, source, destRel) : await copyFromContext(repo, target, source, copy, destRel, ignored);
      copied.push(placed);
    }
  }
  return { root: target, copied };
}

/** An earlier stage's node_modules (`npm ci` there) is the repository's own: linked, not copied. */
async function linkFromStage(repo: string, target: string, stages: readonly Stage[], from: string, source: string, destRel: string): Promise<string> {
  const stage = stages.find((s) => s.name === from);
  if (stage === undefined || path.posix.relative(stage.workdir, source) !== 'node_modules' || destRel === '') {
    throw new Error(`COPY --from=${from} ${source} is not modelled by this test (only an earlier stage's node_modules into a folder of its own is)`);
  }
  await mkdir(path.dirname(path.join(target, destRel)), { recursive: true });
  await symlink(path.join(repo, 'node_modules'), path.join(target, destRel), 'dir');
  return destRel;
}

/** As COPY places it: a folder's contents into the destination; a file into it, or as it. */
async function copyFromContext(repo: string, target: string, source: string, copy: Copy, destRel: string, ignored: (relative: string) => boolean): Promise<string> {
  const relative = path.posix.normalize(source).replace(/^\/+/, '').replace(/\/+$/, '');
  if (relative.startsWith('..') || ignored(relative)) throw new Error(`COPY ${source}: not in the build context (outside it or in .dockerignore)`);
  const from = path.join(repo, relative);
  const isDir = (await stat(from)).isDirectory();
  const into = !isDir && copy.destIsDir ? path.posix.join(destRel, path.posix.basename(relative)) : destRel;
  await mkdir(path.dirname(path.join(target, into)), { recursive: true });
  await cp(from, path.join(target, into), {
    recursive: true,
    filter: (file) => !ignored(path.relative(repo, file).split(path.sep).join('/')),
  });
  return into;
}
