// The Kubernetes kit (deploy/kubernetes) checked without a cluster and without kustomize: every
// file is referenced and every reference resolves; the objects are of known kinds; every variable
// the kit sets is a declared setting (or in the allow-list below) and every value passes the
// config loader; the probes ask paths the app serves on the ports it listens on; KEDA watches the
// lists the code fills for both engine classes and counts pods of work per class; the shutdown
// and memory figures agree with the settings. Each check is a function returning its problems,
// and is shown to fail on a broken copy of the kit.
// (Rendering: `kubectl kustomize deploy/kubernetes/overlays/example`, see docs/kubernetes.md.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, type Config } from '../../src/config/index.js';
import type { SettingMap } from '../../src/config/setting.js';
import { SECTIONS } from '../../src/config/settings.js';
import { startMemoryApp } from '../helpers/memory/app.js';
import { at, envLists, generated, generatedEverywhere, inlinePatches, isRecord, KUSTOMIZATION, kustomizations, nameOf, objects, readKit, records, references, workloadOf, type Doc, type Kit, type Role } from '../helpers/kube-kit.js';
import { kedaProblems } from '../helpers/kube-kit-keda.js';
import { workloadProblems } from '../helpers/kube-kit-workloads.js';

const EXAMPLE = 'overlays/example';
const BASE = 'base';

/** Variables the kit sets that are not settings of src/config, each with the reason. */
const NOT_SETTINGS: Readonly<Record<string, string>> = {
  XDG_CACHE_HOME: "fontconfig (sharp's SVG text, in the worker) keeps its cache there: the root filesystem is read-only",
};

/** The kinds the kit may hold, with their API version. */
const KINDS: Readonly<Record<string, string>> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  Service: 'v1',
  PodDisruptionBudget: 'policy/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  ScaledObject: 'keda.sh/v1alpha1',
};

const KUSTOMIZATION_FIELDS = ['apiVersion', 'kind', 'resources', 'components', 'patches', 'configMapGenerator', 'secretGenerator', 'images', 'labels', 'namespace', 'replacements', 'configurations'];

/** A valid value for every key of the example's Secret (its committed placeholders are invalid on purpose). */
// 64 hex digits: a valid API key, operator key and credential, and a valid SECRETS_KEY too.
const FILLED_SECRET = '0123456789abcdef'.repeat(4);

function declaredVariables(): Set<string> {
  const sections: readonly { readonly settings: SettingMap }[] = Object.values(SECTIONS);
  const documented = sections.flatMap((s) => Object.values(s.settings).flatMap((setting) => setting.docs)).flatMap((doc) => doc.variable.split(' / ').map((n) => n.replaceAll('`', '')));
  // Also what the loader reads, in case a setting reads a variable its row does not name.
  const read = new Set<string>();
  loadConfig(new Proxy<Record<string, string>>({}, { get: (_t, name) => (typeof name === 'string' ? (read.add(name), undefined) : undefined) }), '/srv');
  return new Set([...documented, ...read]);
}

function container(kit: Kit, role: Role): Doc {
  const found = workloadOf(kit, role);
  assert.ok(found !== undefined, `a Deployment runs the ${role} role`);
  return found.container;
}

/** What a container of the example installation sees: its envFrom (base, then the overlay's merge), then its env. */
function containerEnv(kit: Kit, c: Doc, secrets: 'committed' | 'filled' = 'filled'): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of records(c['envFrom'])) {
    const secret = at(from, 'secretRef.name');
    const name = String(at(from, 'configMapRef.name') ?? secret);
    for (const e of [...generated(kit, BASE, name), ...generated(kit, EXAMPLE, name)]) env[e.name] = secret !== undefined && secrets === 'filled' ? FILLED_SECRET : (e.value ?? '');
  }
  for (const e of records(c['env'])) if (typeof e['value'] === 'string') env[String(e['name'])] = e['value'];
  return env;
}

const configOf = (kit: Kit, role: Role): Config => loadConfig(containerEnv(kit, container(kit, role)), '/app');

function referenceProblems(kit: Kit): string[] {
  const problems: string[] = [];
  const referenced = new Set<string>();
  for (const k of kustomizations(kit)) {
    const where = `${k.dir}/${KUSTOMIZATION}`;
    for (const field of Object.keys(k.doc)) if (!KUSTOMIZATION_FIELDS.includes(field)) problems.push(`${where}: unknown field ${field}`);
    const { files, dirs, resources } = references(k);
    for (const r of resources) {
      if (kit.has(r)) referenced.add(r);
      else if (!kit.has(`${r}/${KUSTOMIZATION}`)) problems.push(`${where}: resource ${r} is neither a file nor a kustomization`);
    }
    for (const f of files) (kit.has(f) ? referenced.add(f) : problems.push(`${where}: ${f} does not exist`));
    for (const d of dirs) if (!kustomizations(kit).some((c) => c.dir === d && c.doc['kind'] === 'Component')) problems.push(`${where}: component ${d} has no kustomization.yaml of kind Component`);
  }
  for (const file of kit.keys()) if (!file.endsWith(`/${KUSTOMIZATION}`) && !referenced.has(file)) problems.push(`${file} is in no kustomization.yaml`);
  const made = kustomizations(kit).flatMap((k) => ['configMapGenerator', 'secretGenerator'].flatMap((field) => records(k.doc[field]).map((g) => g['name'])));
  for (const role of ['api', 'worker'] as const) {
    for (const from of records(workloadOf(kit, role)?.container['envFrom'])) {
      const name = at(from, 'configMapRef.name') ?? at(from, 'secretRef.name');
      if (!made.includes(name)) problems.push(`the ${role}'s envFrom ${String(name)} is generated by no kustomization`);
    }
  }
  return problems;
}

function objectProblems(kit: Kit): string[] {
  const all = objects(kit);
  const problems = all.flatMap(({ file, doc }) => {
    const kind = String(doc['kind']);
    if (KINDS[kind] === undefined) return [`${file}: unknown kind ${kind}`];
    if (doc['apiVersion'] !== KINDS[kind]) return [`${file}: ${kind} needs apiVersion ${KINDS[kind]}, has ${String(doc['apiVersion'])}`];
    return typeof at(doc, 'metadata.name') === 'string' ? [] : [`${file}: ${kind} without metadata.name`];
  });
  for (const { where, target, patch } of inlinePatches(kit)) {
    if (!all.some((o) => o.doc['kind'] === target['kind'] && nameOf(o.doc) === target['name'])) problems.push(`${where}: the patch's target ${String(target['kind'])}/${String(target['name'])} is not in the kit`);
    if (Array.isArray(patch)) {
      for (const op of records(patch)) if (!['add', 'remove', 'replace'].includes(String(op['op'])) || !String(op['path']).startsWith('/')) problems.push(`${where}: bad JSON patch operation ${JSON.stringify(op)}`);
    } else if (!isRecord(patch) || patch['kind'] !== target['kind'] || at(patch, 'metadata.name') !== target['name']) problems.push(`${where}: the strategic-merge patch does not name its target`);
  }
  return problems;
}

/** Every variable the kit sets: containers' env, patches' env, generated ConfigMaps and Secrets. */
const everyEntry = (kit: Kit) => [...objects(kit).flatMap((o) => envLists(o.doc, o.file)), ...inlinePatches(kit).flatMap((p) => envLists(p.patch, p.where)), ...generatedEverywhere(kit)];

function envNameProblems(kit: Kit): string[] {
  const declared = declaredVariables();
  const entries = everyEntry(kit);
  const problems = entries.filter((e) => !declared.has(e.name) && NOT_SETTINGS[e.name] === undefined).map((e) => `${e.where}: ${e.name} is not a setting of src/config (nor in NOT_SETTINGS)`);
  for (const name of Object.keys(NOT_SETTINGS)) {
    if (declared.has(name)) problems.push(`${name} is a setting now: take it out of NOT_SETTINGS`);
    if (!entries.some((e) => e.name === name)) problems.push(`${name} is not used by the kit: take it out of NOT_SETTINGS`);
  }
  return problems;
}

/** The loader accepts each container's whole environment, and each value the kit sets anywhere. */
function envValueProblems(kit: Kit): string[] {
  const problems: string[] = [];
  const attempt = (env: Record<string, string>, what: string): void => {
    try {
      loadConfig(env, '/app');
    } catch (error) {
      problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  for (const role of ['api', 'worker'] as const) attempt(containerEnv(kit, container(kit, role)), `the ${role} container`);
  const worker = containerEnv(kit, container(kit, 'worker'));
  for (const e of everyEntry(kit)) if (e.value !== undefined && !e.where.endsWith('secrets.env')) attempt({ ...worker, [e.name]: e.value }, `${e.where}: ${e.name}=${e.value}`);
  return problems;
}

function secretPlaceholderProblems(kit: Kit): string[] {
  try {
    loadConfig(containerEnv(kit, container(kit, 'api'), 'committed'), '/app');
    return ['the example starts with its committed placeholder secrets'];
  } catch (error) {
    return error instanceof ConfigError && error.variable === 'API_KEYS' ? [] : [`the placeholders fail, but not on API_KEYS: ${String(error)}`];
  }
}

const CHECKS = {
  referenceProblems,
  objectProblems,
  envNameProblems,
  envValueProblems,
  kedaProblems: (kit: Kit) => kedaProblems(kit, (role) => configOf(kit, role)),
  secretPlaceholderProblems,
  workloadProblems: (kit: Kit) => workloadProblems(kit, (role) => configOf(kit, role)),
};

describe('Kubernetes kit (deploy/kubernetes)', async () => {
  const kit = await readKit('deploy/kubernetes');

  it('has the layout docs/kubernetes.md describes', () => {
    for (const dir of [BASE, 'components/redis', 'components/keda', 'components/bubblewrap', EXAMPLE]) assert.ok(kit.has(`${dir}/${KUSTOMIZATION}`), dir);
  });

  for (const [name, check] of Object.entries(CHECKS)) {
    it(`${name}: none`, () => assert.deepEqual(check(kit), []));
  }

  it('each check fails on a broken copy of the kit', () => {
    const broken = (file: string, from: string, to: string): Kit => {
      const text = kit.get(file) ?? '';
      assert.ok(text.includes(from), `${file} contains ${from}`);
      return new Map([...kit, [file, text.replace(from, to)]]);
    };
    const cases: Array<[keyof typeof CHECKS, Kit]> = [
      ['referenceProblems', new Map([...kit, ['base/api/forgotten.yaml', 'kind: Service\n']])],
      ['referenceProblems', broken('base/kustomization.yaml', '  - api/pdb.yaml', '  - api/pdbs.yaml')],
      ['referenceProblems', broken(`${EXAMPLE}/kustomization.yaml`, '  - name: openconvert-secrets', '  - name: openconvert-secret')],
      ['objectProblems', broken('base/api/pdb.yaml', 'policy/v1', 'policy/v1beta1')],
      ['objectProblems', broken('components/keda/kustomization.yaml', 'name: openconvert-worker', 'name: openconvert-workers')],
      ['envNameProblems', broken('base/worker/deployment.yaml', 'name: WORKER_CONCURRENCY', 'name: WORKER_CONCURENCY')],
      ['envNameProblems', broken('base/settings.env', 'LOG_LEVEL=', 'LOGLEVEL=')],
      ['envValueProblems', broken('base/settings.env', 'REQUIRE_WORKER=true', 'REQUIRE_WORKER=maybe')],
      ['envValueProblems', broken('components/bubblewrap/kustomization.yaml', 'value: bubblewrap', 'value: bwrap')],
      ['kedaProblems', broken('base/settings.env', 'REDIS_PREFIX=cc', 'REDIS_PREFIX=oc')],
      ['kedaProblems', broken('base/worker/deployment.yaml', 'WORKER_CONCURRENCY\n              value: "2"', 'WORKER_CONCURRENCY\n              value: "4"')],
      ['kedaProblems', broken('base/worker/deployment.yaml', 'WORKER_LIGHT_CONCURRENCY\n              value: "4"', 'WORKER_LIGHT_CONCURRENCY\n              value: "8"')],
      // A worker that takes no light conversions must not be scaled on the light lists.
      ['kedaProblems', broken('base/worker/deployment.yaml', 'WORKER_LIGHT_CONCURRENCY\n              value: "4"', 'WORKER_LIGHT_CONCURRENCY\n              value: "0"')],
      ['kedaProblems', broken('components/keda/scaled-object.yaml', 'listName: cc:conversions-light:wait', 'listName: cc:conversions:wait')],
      ['kedaProblems', broken('components/keda/scaled-object.yaml', '(lightWaiting + lightRunning) / 4', 'lightWaiting / 4')],
      ['kedaProblems', broken('components/keda/scaled-object.yaml', '(lightWaiting + lightRunning) / 4', '(lightWaiting + lightRunning) / 2')],
      ['kedaProblems', broken('components/keda/scaled-object.yaml', '/ 2 + (lightWaiting', '/ 2 * (lightWaiting')],
      ['kedaProblems', broken('components/keda/scaled-object.yaml', 'target: "1"', 'target: "2"')],
      // A formula the check cannot evaluate is a problem, not a pass.
      ['kedaProblems', broken('components/keda/scaled-object.yaml', '(heavyWaiting + heavyRunning) / 2 + (lightWaiting + lightRunning) / 4', 'max(heavyWaiting + heavyRunning, lightWaiting + lightRunning)')],
      ['secretPlaceholderProblems', broken(`${EXAMPLE}/secrets.env`, 'API_KEYS=<replace with your keys>', 'API_KEYS=published-key-123')],
      ['workloadProblems', broken('base/worker/deployment.yaml', 'terminationGracePeriodSeconds: 90', 'terminationGracePeriodSeconds: 60')],
      ['workloadProblems', broken('base/api/deployment.yaml', 'path: /healthz', 'path: /readyz')],
      ['workloadProblems', broken('base/api/deployment.yaml', 'containerPort: 8080', 'containerPort: 8081')],
      ['workloadProblems', broken('base/worker/deployment.yaml', 'value: "2560"', 'value: "4096"')],
      ['workloadProblems', broken('base/worker/deployment.yaml', 'LIGHT_TOOL_MEMORY_MB\n              value: "512"', 'LIGHT_TOOL_MEMORY_MB\n              value: "1024"')],
      ['workloadProblems', broken('base/worker/deployment.yaml', 'memory: 8Gi', 'memory: 6Gi')],
    ];
    for (const [name, copy] of cases) assert.notDeepEqual(CHECKS[name](copy), [], `${name} finds the break`);
  });

  // Through app.inject (no socket, as in the unit tier). A worker-only process's /healthz, the
  // only path the worker's probes ask (PROBE_PATHS), is served open: test/api/operator-routes.test.ts.
  it("the API's probes ask paths the API serves", async () => {
    const api = await startMemoryApp();
    try {
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const path = String(at(container(kit, 'api'), `${probe}.httpGet.path`));
        assert.notEqual((await api.request({ method: 'GET', url: path })).statusCode, 404, `${probe}: ${path}`);
      }
    } finally {
      await api.stop();
    }
  });
});
