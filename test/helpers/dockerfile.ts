// Reads the Dockerfile the way `docker build` would for what ends up in an image (no Docker engine
// runs here): each stage with what it inherits from the stage it starts FROM (WORKDIR, ENV, USER,
// COPYs, apt packages), and lays out a target's WORKDIR from its COPY instructions so a test can
// boot the app from exactly those files. Only the instructions this project uses are modelled;
// anything else that would put files into the image throws, so a Dockerfile change the model does
// not cover fails the tests loudly instead of passing unseen.
import { cp, lstat, mkdir, readFile, stat, symlink } from 'node:fs/promises';
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
  /** The FROM argument with build ARGs resolved: an image, or an earlier stage's name. */
  readonly base: string;
  /** The last WORKDIR ("/" when none), inherited from an earlier stage. */
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  /** The last USER (undefined: root), inherited. */
  readonly user: string | undefined;
  readonly cmd: string | undefined;
  readonly healthcheck: string | undefined;
  /** COPYs of this stage and of the stages it starts from, in order. */
  readonly copies: readonly Copy[];
  /** Packages of every `apt-get install` of this stage and the stages it starts from. */
  readonly packages: readonly string[];
}

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Joins continuation lines and drops comments and blank lines. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n(?:\s*#[^\n]*\n)*/g, ' ');
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

/** The package names of every `apt-get install` in a RUN (options and shell words around it dropped). */
export function aptPackages(run: string): string[] {
  const found: string[] = [];
  for (const command of run.split(/&&|;|\|\|/)) {
    const words = command.trim().split(/\s+/);
    const apt = words.indexOf('apt-get');
    const at = apt < 0 ? -1 : words.indexOf('install', apt + 1);
    if (at < 0) continue;
    found.push(...words.slice(at + 1).filter((word) => !word.startsWith('-') && !word.startsWith('"$')));
  }
  return found;
}

/** ENV in both forms: `ENV A=1 B="two"` and the old `ENV A 1`. */
function envOf(args: string): Record<string, string> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const [name = '', ...value] = args.split(/\s+/);
    return { [name]: value.join(' ') };
  }
  const pairs: Record<string, string> = {};
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) pairs[match[1] ?? ''] = match[3] ?? match[2] ?? '';
  return pairs;
}

type MutableStage = { -readonly [K in keyof Stage]: Stage[K] } & { copies: Copy[]; packages: string[] };

export function parseDockerfile(text: string): Stage[] {
  const args = new Map<string, string>();
  const stages: MutableStage[] = [];
  const resolve = (value: string): string => value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => args.get(a ?? b ?? '') ?? '');
  for (const { keyword, args: rest } of instructions(text)) {
    if (keyword === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = rest.split('=');
      args.set(name, value);
      continue;
    }
    if (keyword === 'FROM') {
      const [image = '', , name] = rest.split(/\s+/);
      const base = resolve(image);
      const parent = stages.find((s) => s.name === base);
      stages.push({
        name,
        base,
        workdir: parent?.workdir ?? '/',
        env: { ...parent?.env },
        user: parent?.user,
        cmd: parent?.cmd,
        healthcheck: parent?.healthcheck,
        copies: [...(parent?.copies ?? [])],
        packages: [...(parent?.packages ?? [])],
      });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (stage === undefined) continue; // a parser directive before the first FROM
    if (keyword === 'WORKDIR') stage.workdir = path.posix.resolve(stage.workdir, rest);
    if (keyword === 'ENV') stage.env = { ...stage.env, ...envOf(rest) };
    if (keyword === 'USER') stage.user = rest;
    if (keyword === 'CMD') stage.cmd = rest;
    if (keyword === 'HEALTHCHECK') stage.healthcheck = rest;
    if (keyword === 'RUN') stage.packages.push(...aptPackages(rest));
    if (keyword === 'ADD') throw new Error(`ADD is not modelled by this test: ADD ${rest}`);
    if (keyword === 'COPY') stage.copies.push(copyOf(rest, stage.workdir));
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
  /** The folder standing for the target's WORKDIR. */
  readonly root: string;
  /** Paths (relative to root) the copies produced, in Dockerfile order. */
  readonly copied: readonly string[];
}

/**
 * Lays out the WORKDIR of stage `targetName` under `target`: build-context sources as COPY would
 * place them (a folder's contents, minus .dockerignore), and `COPY --from=<stage>` from
 * `stageRoots[<stage>]`, a local folder standing for that stage's WORKDIR (the test fills it: a
 * build's output, a node_modules). Copies outside WORKDIR are not the app's.
 */
export async function layOutTarget(repo: string, targetName: string, target: string, stageRoots: Readonly<Record<string, string>>): Promise<Layout> {
  const stages = parseDockerfile(await readFile(path.join(repo, 'Dockerfile'), 'utf8'));
  const stage = stages.find((s) => s.name === targetName);
  if (stage === undefined) throw new Error(`The Dockerfile has no stage ${targetName}`);
  const ignored = dockerignore(await readFile(path.join(repo, '.dockerignore'), 'utf8').catch(() => ''));
  const copied: string[] = [];
  for (const copy of stage.copies) {
    const destRel = path.posix.relative(stage.workdir, copy.dest);
    if (destRel.startsWith('..')) continue;
    for (const source of copy.sources) {
      const placed = copy.from !== undefined ? await copyFromStage(stages, stageRoots, copy.from, source, target, destRel) : await copyFromContext(repo, target, source, copy, destRel, ignored);
      copied.push(placed);
    }
  }
  return { root: target, copied };
}

/** An earlier stage's output, taken from the folder the test made for that stage. */
async function copyFromStage(stages: readonly Stage[], stageRoots: Readonly<Record<string, string>>, from: string, source: string, target: string, destRel: string): Promise<string> {
  const stage = stages.find((s) => s.name === from);
  const root = stageRoots[from];
  if (stage === undefined || root === undefined) throw new Error(`COPY --from=${from} ${source}: the test gave no folder for stage ${from}`);
  const relative = path.posix.relative(stage.workdir, path.posix.resolve(stage.workdir, source));
  if (relative.startsWith('..') || destRel === '') throw new Error(`COPY --from=${from} ${source}: only a folder of the stage's WORKDIR into a folder of its own is modelled`);
  const local = path.join(root, relative);
  await mkdir(path.dirname(path.join(target, destRel)), { recursive: true });
  // A linked node_modules resolves as an installed one; code is copied, because Node resolves a
  // module's imports (and its package.json "type") from its real path.
  if (relative === 'node_modules') await symlink(local, path.join(target, destRel), 'dir');
  else await cp(local, path.join(target, destRel), { recursive: true });
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

/**
 * What `npm ci --omit=dev` installs, built from the repository's own node_modules: a folder whose
 * node_modules links only the top-level packages the lock file does not mark `dev` (npm keeps
 * `devOptional` ones, such as an optional peer of a production package). Code laid out beside it
 * that imports a dev dependency (tsx, yaml...) fails as it would in the image.
 */
export async function productionDependencies(repo: string, target: string): Promise<string> {
  const lock = JSON.parse(await readFile(path.join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const modules = path.join(target, 'node_modules');
  await mkdir(modules, { recursive: true });
  for (const [key, entry] of Object.entries(lock.packages)) {
    const name = /^node_modules\/((?:@[^/]+\/)?[^/@][^/]*)$/.exec(key)?.[1];
    if (name === undefined || entry.dev === true) continue;
    const installed = path.join(repo, 'node_modules', name);
    // Optional packages for other platforms are in the lock file but not on disk.
    if (!(await lstat(installed).then(() => true, () => false))) continue;
    await mkdir(path.dirname(path.join(modules, name)), { recursive: true });
    await symlink(installed, path.join(modules, name), 'dir');
  }
  return target;
}
