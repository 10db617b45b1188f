// Checks of the kit's workloads against the settings they run with: probes on the paths and
// ports the app serves, shutdown and memory figures that agree with SHUTDOWN_GRACE_SECONDS,
// TOOL_MEMORY_MB and LIGHT_TOOL_MEMORY_MB, writable folders on volumes, non-root containers,
// selectors that select, images the example overlay can rename, Redis with its append-only file
// where REDIS_URL points.
// Each returns its problems (empty: none); test/unit/kubernetes-kit.test.ts runs them.
import type { Config } from '../../src/config/index.js';
import { at, bytesOf, containersOf, isRecord, kustomizations, nameOf, ofKind, records, strings, workloadOf, type Doc, type Kit, type Role } from './kube-kit.js';

type ConfigOf = (role: Role) => Config;

/** Which path each probe asks: liveness never depends on Redis or S3 (a restart mends neither). */
const PROBE_PATHS: Readonly<Record<Role, Readonly<Record<string, string>>>> = {
  api: { livenessProbe: '/healthz', readinessProbe: '/readyz', startupProbe: '/healthz' },
  worker: { livenessProbe: '/healthz', readinessProbe: '/healthz', startupProbe: '/healthz' },
};

/** Between the process's own deadline (SHUTDOWN_TIMEOUT_SECONDS) and Kubernetes' SIGKILL. */
const KILL_MARGIN_SECONDS = 5;
/** Node and the idle pool instances beside the tools at their memory limit. */
const WORKER_BASE_BYTES = 512 * 2 ** 20;

const ROLES: readonly Role[] = ['api', 'worker'];
/** Every label of `labels` is in `of` (a selector and the labels it selects). */
const subset = (labels: unknown, of: unknown): boolean => isRecord(labels) && isRecord(of) && Object.entries(labels).every(([key, value]) => of[key] === value);
const within = (dir: string, mount: string): boolean => dir === mount || dir.startsWith(`${mount}/`);

function probeProblems(kit: Kit, configOf: ConfigOf): string[] {
  return ROLES.flatMap((role) => {
    const found = workloadOf(kit, role);
    if (found === undefined) return [`no Deployment runs the ${role} role`];
    const config = configOf(role);
    const port = role === 'api' ? config.server.port : config.worker.metricsPort;
    const ports = records(found.container['ports']);
    return Object.entries(PROBE_PATHS[role]).flatMap(([probe, path]) => {
      const get = at(found.container, `${probe}.httpGet`);
      const asked = at(get, 'port');
      const resolved = typeof asked === 'number' ? asked : ports.find((p) => p['name'] === asked)?.['containerPort'];
      return [
        ...(at(get, 'path') === path ? [] : [`${role} ${probe} asks ${String(at(get, 'path'))}, not ${path}`]),
        ...(resolved === port ? [] : [`${role} ${probe} asks port ${String(asked)} (${String(resolved)}); the ${role} listens on ${port}`]),
      ];
    });
  });
}

function shutdownProblems(kit: Kit, configOf: ConfigOf): string[] {
  const problems: string[] = [];
  const grace = (role: Role): number => Number(at(workloadOf(kit, role)?.deployment, 'spec.template.spec.terminationGracePeriodSeconds') ?? 30);
  // Each process ends itself at SHUTDOWN_TIMEOUT_SECONDS; the pod's grace must come after that.
  const deadline = (role: Role): number => configOf(role).worker.shutdownTimeoutMs / 1000;
  if (grace('worker') < deadline('worker') + KILL_MARGIN_SECONDS) problems.push(`worker: terminationGracePeriodSeconds ${grace('worker')} < SHUTDOWN_TIMEOUT_SECONDS ${deadline('worker')} + ${KILL_MARGIN_SECONDS}`);
  const preStop = Number(at(workloadOf(kit, 'api')?.container, 'lifecycle.preStop.sleep.seconds') ?? 0);
  if (preStop < 1) problems.push('api: no preStop sleep, so endpoints cannot drain before SIGTERM');
  if (grace('api') < preStop + deadline('api') + KILL_MARGIN_SECONDS) problems.push(`api: terminationGracePeriodSeconds ${grace('api')} < preStop ${preStop} + SHUTDOWN_TIMEOUT_SECONDS ${deadline('api')} + ${KILL_MARGIN_SECONDS}`);
  return problems;
}

/** Every slot of both classes may hold a tool at its limit at once: together they stay below the pod's. */
function memoryProblems(kit: Kit, configOf: ConfigOf): string[] {
  const { sandbox, worker } = configOf('worker');
  const limit = bytesOf(at(workloadOf(kit, 'worker')?.container, 'resources.limits.memory'));
  const tools = sandbox.memoryBytes * worker.concurrency + sandbox.lightMemoryBytes * worker.lightConcurrency;
  if (tools + WORKER_BASE_BYTES <= limit) return [];
  const mib = (bytes: number): number => bytes / 2 ** 20;
  return [`worker: ${worker.concurrency} heavy tools at TOOL_MEMORY_MB (${mib(sandbox.memoryBytes)} MiB) + ${worker.lightConcurrency} light tools at LIGHT_TOOL_MEMORY_MB (${mib(sandbox.lightMemoryBytes)} MiB) + ${mib(WORKER_BASE_BYTES)} MiB exceed the memory limit (${mib(limit)} MiB): the kernel would kill the pod before a tool fails with its 422`];
}

/** With a read-only root filesystem, everything the app writes must be on a volume. */
function mountProblems(kit: Kit, configOf: ConfigOf): string[] {
  return ROLES.flatMap((role) => {
    const found = workloadOf(kit, role);
    const config = configOf(role);
    const volumes = records(at(found?.deployment, 'spec.template.spec.volumes')).map((v) => v['name']);
    const mounts = records(found?.container['volumeMounts']).filter((m) => volumes.includes(m['name'])).map((m) => String(m['mountPath']));
    return [config.dataDir, config.worker.tempDir, '/tmp'].filter((dir) => !mounts.some((m) => within(dir, m))).map((dir) => `${role}: ${dir} is on the read-only root filesystem`);
  });
}

function securityProblems(kit: Kit): string[] {
  return [...ofKind(kit, 'Deployment'), ...ofKind(kit, 'StatefulSet')].flatMap((w) => {
    const pod = at(w, 'spec.template.spec.securityContext');
    const problems = at(pod, 'runAsNonRoot') === true ? [] : [`${nameOf(w)}: runAsNonRoot`];
    for (const c of containersOf(w)) {
      const sc = c['securityContext'];
      if (at(sc, 'allowPrivilegeEscalation') !== false || at(sc, 'readOnlyRootFilesystem') !== true || !strings(at(sc, 'capabilities.drop')).includes('ALL')) problems.push(`${nameOf(w)}/${String(c['name'])}: not restricted (privilege escalation, root filesystem, capabilities)`);
    }
    return problems;
  });
}

function selectorProblems(kit: Kit): string[] {
  const workloads = [...ofKind(kit, 'Deployment'), ...ofKind(kit, 'StatefulSet')];
  const podLabels = (w: Doc): unknown => at(w, 'spec.template.metadata.labels');
  const problems = workloads.filter((w) => !subset(at(w, 'spec.selector.matchLabels'), podLabels(w))).map((w) => `${nameOf(w)}: its selector misses its own pods`);
  for (const d of ofKind(kit, 'Deployment')) {
    if (!ofKind(kit, 'PodDisruptionBudget').some((pdb) => subset(at(pdb, 'spec.selector.matchLabels'), podLabels(d)))) problems.push(`${nameOf(d)}: no PodDisruptionBudget`);
  }
  for (const service of ofKind(kit, 'Service')) {
    const target = workloads.find((w) => subset(at(service, 'spec.selector'), podLabels(w)));
    if (target === undefined) {
      problems.push(`Service ${nameOf(service)} selects no pods`);
      continue;
    }
    const names = containersOf(target).flatMap((c) => records(c['ports']).map((p) => p['name']));
    for (const port of records(at(service, 'spec.ports'))) if (!names.includes(port['targetPort'])) problems.push(`Service ${nameOf(service)}: targetPort ${String(port['targetPort'])} is no container port`);
  }
  return problems;
}

/** The example renames both images, so every overlay can (kustomize `images:` matches by name). */
function imageProblems(kit: Kit): string[] {
  const renamed = kustomizations(kit).flatMap((k) => records(k.doc['images']).map((i) => i['name']));
  return ROLES.map((role) => String(workloadOf(kit, role)?.container['image']).split(':')[0]).filter((image) => !renamed.includes(image)).map((image) => `image ${image} is renamed by no overlay`);
}

function redisProblems(kit: Kit, configOf: ConfigOf): string[] {
  const problems: string[] = [];
  const redis = ofKind(kit, 'StatefulSet').find((s) => nameOf(s) === 'redis');
  const args = strings(at(containersOf(redis ?? {})[0], 'args'));
  if (args[args.indexOf('--appendonly') + 1] !== 'yes') problems.push('Redis runs without --appendonly yes');
  const claims = records(at(redis, 'spec.volumeClaimTemplates')).map((c) => at(c, 'metadata.name'));
  if (!records(at(containersOf(redis ?? {})[0], 'volumeMounts')).some((m) => claims.includes(m['name']))) problems.push('Redis keeps its data on no persistent volume');
  const url = new URL(configOf('api').redisUrl ?? 'redis://missing');
  const service = ofKind(kit, 'Service').find((s) => nameOf(s) === url.hostname);
  if (service === undefined || !records(at(service, 'spec.ports')).some((p) => String(p['port']) === (url.port || '6379'))) problems.push(`REDIS_URL ${url.href} names no Service port of the kit`);
  for (const address of ofKind(kit, 'ScaledObject').flatMap((s) => records(at(s, 'spec.triggers')).map((t) => String(at(t, 'metadata.address'))))) {
    if (address.split('.')[0] !== url.hostname || address.split(':')[1] !== (url.port || '6379')) problems.push(`KEDA's address ${address} is not the Redis of REDIS_URL`);
  }
  return problems;
}

export function workloadProblems(kit: Kit, configOf: ConfigOf): string[] {
  return [
    ...probeProblems(kit, configOf),
    ...shutdownProblems(kit, configOf),
    ...memoryProblems(kit, configOf),
    ...mountProblems(kit, configOf),
    ...securityProblems(kit),
    ...selectorProblems(kit),
    ...imageProblems(kit),
    ...redisProblems(kit, configOf),
  ];
}
