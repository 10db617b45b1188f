// The check of the kit's KEDA ScaledObject against the code and the workers' settings: it watches
// the wait and active lists of each engine class the workers take (names computed by
// src/core/queue.ts), and its formula counts pods of work, each class's jobs divided by that
// class's concurrency per worker, with a target of one pod. The formula is evaluated, not read as
// text: every trigger alone at length 1 must count 1/concurrency of its class, and all together
// the sum. test/unit/kubernetes-kit.test.ts runs it.
import type { Config } from '../../src/config/index.js';
import { SECTIONS } from '../../src/config/settings.js';
import { ENGINE_CLASSES, type EngineClass } from '../../src/core/catalog/engine-classes.js';
import { conversionQueueLists } from '../../src/core/queue.js';
import { at, containersOf, nameOf, objects, ofKind, records, roleOf, type Doc, type Kit, type Role } from './kube-kit.js';

type ConfigOf = (role: Role) => Config;

/** The setting that is each class's concurrency per worker, named in the problems. */
const CONCURRENCY_SETTING: Readonly<Record<EngineClass, string>> = {
  heavy: SECTIONS.worker.settings.concurrency.name,
  light: SECTIONS.worker.settings.lightConcurrency.name,
};

const concurrencyOf = (config: Config, engineClass: EngineClass): number => (engineClass === 'light' ? config.worker.lightConcurrency : config.worker.concurrency);

/**
 * The value of a formula made of numbers, trigger names, + - * / and parentheses: the part of
 * KEDA's expression language (expr) a sum of pods of work needs. Throws on anything else, so a
 * formula this check cannot read is a problem rather than a silent pass.
 */
export function arithmetic(formula: string, values: Readonly<Record<string, number>>): number {
  const tokens = formula.match(/\d+(?:\.\d+)?|[A-Za-z_]\w*|\S/g) ?? [];
  let next = 0;
  const peek = (): string | undefined => tokens[next];
  const take = (): string | undefined => tokens[next++];
  const primary = (): number => {
    const token = take();
    if (token === '(') {
      const value = sum();
      if (take() !== ')') throw new Error(`the formula "${formula}" misses a ")"`);
      return value;
    }
    if (token !== undefined && /^\d/.test(token)) return Number(token);
    const value = token === undefined ? undefined : values[token];
    if (value === undefined) throw new Error(`the formula "${formula}" has "${token ?? 'nothing'}" where a trigger name or a number belongs`);
    return value;
  };
  const product = (): number => {
    let value = primary();
    while (peek() === '*' || peek() === '/') value = take() === '*' ? value * primary() : value / primary();
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (peek() === '+' || peek() === '-') value = take() === '+' ? value + product() : value - product();
    return value;
  };
  const value = sum();
  if (next !== tokens.length) throw new Error(`the formula "${formula}" goes on after a complete expression at "${tokens[next]}"`);
  return value;
}

/** Which class each list the workers fill belongs to: the wait and active lists of every class they take. */
function classOfList(config: Config): Map<string, EngineClass> {
  const lists = new Map<string, EngineClass>();
  for (const engineClass of ENGINE_CLASSES.filter((c) => concurrencyOf(config, c) > 0)) {
    const { wait, active } = conversionQueueLists(config.redisPrefix, engineClass);
    lists.set(wait, engineClass).set(active, engineClass);
  }
  return lists;
}

/** The formula counts 1/concurrency of a pod per job of each trigger's class, and adds the triggers up. */
function formulaProblems(scaled: Doc, triggers: readonly Doc[], classOf: (trigger: Doc) => EngineClass | undefined, config: Config): string[] {
  const formula = String(at(scaled, 'spec.advanced.scalingModifiers.formula'));
  const names = triggers.map((t) => String(t['name']));
  const classes = triggers.map(classOf);
  // A trigger on a list no worker fills is the list check's problem; its share here would be a guess.
  if (classes.includes(undefined)) return [];
  const perJob = (engineClass: EngineClass | undefined): number => (engineClass === undefined ? 0 : 1 / concurrencyOf(config, engineClass));
  const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;
  try {
    for (const [i, engineClass] of classes.entries()) {
      const alone = arithmetic(formula, Object.fromEntries(names.map((n, j) => [n, j === i ? 1 : 0])));
      if (engineClass !== undefined && !near(alone, perJob(engineClass))) {
        return [`the formula "${formula}" counts one job of ${names[i]} as ${alone} pods, not 1 / ${CONCURRENCY_SETTING[engineClass]} (${concurrencyOf(config, engineClass)})`];
      }
    }
    // Lengths 1, 2, 3...: a formula right for each trigger alone must also add them up.
    const together = arithmetic(formula, Object.fromEntries(names.map((n, j) => [n, j + 1])));
    const expected = classes.reduce((total, engineClass, j) => total + (j + 1) * perJob(engineClass), 0);
    return near(together, expected) ? [] : [`the formula "${formula}" does not add the triggers up: ${together} pods, not ${expected}`];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

export function kedaProblems(kit: Kit, configOf: ConfigOf): string[] {
  const scaled = objects(kit).find((o) => o.doc['kind'] === 'ScaledObject')?.doc;
  if (scaled === undefined) return ['no ScaledObject'];
  const worker = configOf('worker');
  const lists = classOfList(worker);
  const triggers = records(at(scaled, 'spec.triggers'));
  const classOf = (t: Doc): EngineClass | undefined => lists.get(String(at(t, 'metadata.listName')));
  const problems: string[] = [];
  const watched = triggers.map((t) => String(at(t, 'metadata.listName'))).sort();
  const filled = [...lists.keys()].sort();
  if (JSON.stringify(watched) !== JSON.stringify(filled)) problems.push(`KEDA watches ${watched.join(', ')}; the workers take from ${filled.join(', ')}`);
  if (triggers.some((t) => t['type'] !== 'redis')) problems.push('every trigger is a redis (list) trigger');
  problems.push(...formulaProblems(scaled, triggers, classOf, worker));
  for (const t of triggers) {
    const engineClass = classOf(t);
    if (engineClass !== undefined && at(t, 'metadata.listLength') !== String(concurrencyOf(worker, engineClass))) problems.push(`trigger ${String(t['name'])}: listLength ${String(at(t, 'metadata.listLength'))} is not ${CONCURRENCY_SETTING[engineClass]} (${concurrencyOf(worker, engineClass)})`);
  }
  const target = at(scaled, 'spec.advanced.scalingModifiers.target');
  if (target !== '1') problems.push(`KEDA's target ${String(target)} is not "1": the formula counts pods`);
  const metricType = at(scaled, 'spec.advanced.scalingModifiers.metricType') ?? 'AverageValue';
  if (metricType !== 'AverageValue') problems.push(`metricType ${String(metricType)}: only AverageValue divides the pods of work among the pods`);
  const targetRef = at(scaled, 'spec.scaleTargetRef.name');
  if (!ofKind(kit, 'Deployment').some((d) => nameOf(d) === targetRef && containersOf(d).some((c) => roleOf(c) === 'worker'))) problems.push(`scaleTargetRef ${String(targetRef)} is not the worker Deployment`);
  const min = Number(at(scaled, 'spec.minReplicaCount') ?? 0);
  if (min < 1 && configOf('api').queue.requireWorker) problems.push('minReplicaCount 0 with REQUIRE_WORKER=true: no process would ever reach the queue to wake KEDA');
  return problems;
}
