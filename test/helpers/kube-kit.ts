// Reads the Kubernetes kit (deploy/kubernetes) the way kustomize does, as far as its checks need:
// the kustomization files and what they reference, the objects, inline patches, the ConfigMap and
// Secret generators and the containers' environment. Kept in memory as path → text, so a test can
// break a copy and see a check fail. kustomize itself (kubectl kustomize) is not needed.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** Every file of the kit: path relative to its root (posix) → text. */
export type Kit = ReadonlyMap<string, string>;

export type Doc = Record<string, unknown>;

export interface Kustomization {
  /** Folder of the kustomization.yaml, relative to the kit's root ('' for the root). */
  readonly dir: string;
  readonly doc: Doc;
}

/** One variable the kit sets: in a container's env, or a key of a generated ConfigMap or Secret. */
export interface EnvEntry {
  readonly name: string;
  readonly value: string | undefined;
  /** File (and object) it comes from, for messages. */
  readonly where: string;
}

export const KUSTOMIZATION = 'kustomization.yaml';

export async function readKit(root: string): Promise<Map<string, string>> {
  const kit = new Map<string, string>();
  for (const relative of await readdir(root, { recursive: true })) {
    const file = path.join(root, relative);
    if ((await stat(file)).isFile()) kit.set(relative.split(path.sep).join('/'), await readFile(file, 'utf8'));
  }
  return kit;
}

export const isRecord = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);
export const records = (value: unknown): Doc[] => (Array.isArray(value) ? value.filter(isRecord) : []);
export const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Follows `a.b.c` through nested objects; undefined where a step is missing. */
export function at(value: unknown, dotted: string): unknown {
  let current = value;
  for (const key of dotted.split('.')) current = isRecord(current) ? current[key] : undefined;
  return current;
}

export function kustomizations(kit: Kit): Kustomization[] {
  return [...kit.keys()].filter((file) => path.posix.basename(file) === KUSTOMIZATION).map((file) => ({ dir: path.posix.dirname(file).replace(/^\.$/, ''), doc: parse(kit.get(file) ?? '') as Doc }));
}

const inDir = (dir: string, relative: string): string => path.posix.normalize(path.posix.join(dir, relative));

/** The generators' entries: `envs` files and `files` (`key=path` or `path`). */
function generatorFiles(doc: Doc): string[] {
  return ['configMapGenerator', 'secretGenerator'].flatMap((field) => records(doc[field]).flatMap((generator) => [...strings(generator['envs']), ...strings(generator['files']).map((file) => file.split('=').pop() ?? file)]));
}

/** Files and folders a kustomization names, relative to the kit's root. */
export function references(k: Kustomization): { files: string[]; dirs: string[]; resources: string[] } {
  const resources = strings(k.doc['resources']).map((r) => inDir(k.dir, r));
  const patchFiles = records(k.doc['patches']).flatMap((p) => strings([p['path']]));
  const files = [...patchFiles, ...generatorFiles(k.doc), ...strings(k.doc['configurations'])].map((f) => inDir(k.dir, f));
  const dirs = strings(k.doc['components']).map((c) => inDir(k.dir, c));
  return { files, dirs, resources };
}

/** The objects of every YAML file a kustomization lists as a resource, with their file. */
export function objects(kit: Kit): Array<{ file: string; doc: Doc }> {
  const files = new Set(kustomizations(kit).flatMap((k) => references(k).resources).filter((r) => kit.has(r)));
  return [...files].flatMap((file) => parseAllDocuments(kit.get(file) ?? '').map((d) => ({ file, doc: d.toJSON() as Doc })));
}

/** Inline patches (`patches[].patch`), parsed: strategic-merge objects or JSON 6902 operation lists. */
export function inlinePatches(kit: Kit): Array<{ where: string; target: Doc; patch: unknown }> {
  return kustomizations(kit).flatMap((k) =>
    records(k.doc['patches']).flatMap((p) => (typeof p['patch'] === 'string' ? [{ where: `${k.dir}/${KUSTOMIZATION}`, target: isRecord(p['target']) ? p['target'] : {}, patch: parse(p['patch']) as unknown }] : [])),
  );
}

/** KEY=value lines of a kustomize env file; blank lines and # comments skipped. */
export function parseEnvFile(text: string): Array<[string, string]> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const eq = line.indexOf('=');
      return eq < 0 ? [line, ''] : [line.slice(0, eq), line.slice(eq + 1)];
    });
}

/** The entries of the generator `name` in the kustomization in `dir` (env files, then literals). */
export function generated(kit: Kit, dir: string, name: string): EnvEntry[] {
  const k = kustomizations(kit).find((candidate) => candidate.dir === dir);
  if (k === undefined) return [];
  return ['configMapGenerator', 'secretGenerator'].flatMap((field) =>
    records(k.doc[field])
      .filter((generator) => generator['name'] === name)
      .flatMap((generator) => [
        ...strings(generator['envs']).flatMap((file) => parseEnvFile(kit.get(inDir(dir, file)) ?? '').map(([n, v]) => ({ name: n, value: v, where: inDir(dir, file) }))),
        ...strings(generator['literals']).map((literal) => ({ name: literal.split('=')[0] ?? '', value: literal.slice(literal.indexOf('=') + 1), where: `${dir}/${KUSTOMIZATION}` })),
      ]),
  );
}

/** Every generator's keys, in every kustomization: what envFrom hands to the containers. */
export function generatedEverywhere(kit: Kit): EnvEntry[] {
  return kustomizations(kit).flatMap((k) => ['configMapGenerator', 'secretGenerator'].flatMap((field) => records(k.doc[field]).flatMap((g) => generated(kit, k.dir, String(g['name'])))));
}

/** Every `env: [{name, value}]` list found anywhere in `value` (containers, patches). */
export function envLists(value: unknown, where: string): EnvEntry[] {
  if (Array.isArray(value)) return value.flatMap((item) => envLists(item, where));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'env' && Array.isArray(child) ? records(child).map((e) => ({ name: String(e['name']), value: typeof e['value'] === 'string' ? e['value'] : undefined, where })) : envLists(child, where),
  );
}

/** The containers of a Deployment's or StatefulSet's pod template. */
export const containersOf = (workload: Doc): Doc[] => records(at(workload, 'spec.template.spec.containers'));

export const nameOf = (doc: Doc): string => String(at(doc, 'metadata.name'));
export const ofKind = (kit: Kit, kind: string): Doc[] => objects(kit).filter((o) => o.doc['kind'] === kind).map((o) => o.doc);

export type Role = 'api' | 'worker';
/** The image's role a container runs: its first argument (deploy/entrypoint.sh). */
export const roleOf = (container: Doc): string => strings(container['args'])[0] ?? '';

/** The Deployment running `role`, and its container. */
export function workloadOf(kit: Kit, role: Role): { deployment: Doc; container: Doc } | undefined {
  for (const deployment of ofKind(kit, 'Deployment')) {
    const container = containersOf(deployment).find((c) => roleOf(c) === role);
    if (container !== undefined) return { deployment, container };
  }
  return undefined;
}

/** A Kubernetes quantity (`512Mi`, `4Gi`, `1G`) in bytes. */
export function bytesOf(quantity: unknown): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(quantity));
  if (match === null) throw new Error(`not a quantity: ${String(quantity)}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}
