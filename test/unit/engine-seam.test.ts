// The engine seam is complete: every engine id has a catalog record with at least one ability,
// serves pairs under the precedence order, is implemented by the worker for each of its
// abilities, and plans reach exactly its implementation. A half-wired engine fails here (or does
// not compile: the records and registries are typed over the ids).
import assert from 'node:assert/strict';
import os from 'node:os';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { ALL_ENGINE_IDS, ENGINE_CATALOG, ENGINE_IDS, INFO_ENGINE_IDS, listConversionTypes, type EngineId } from '../../src/core/catalog/index.js';
import { COMPRESS_ENGINE_IDS } from '../../src/core/catalog/engine-catalog.js';
import type { EngineCatalog } from '../../src/core/catalog/engine-record.js';
import { resolvePlan, type ConvertPlan } from '../../src/core/catalog/resolve.js';
import { createEngines } from '../../workers/converters/registry.js';
import type { ConverterRegistry } from '../../workers/converters/types.js';
import type { PipelineContext } from '../../workers/pipeline/context.js';
import { convertFile } from '../../workers/pipeline/modes/convert.js';
import { engineSettings, startSandbox } from '../../workers/runtime.js';

describe('the engine seam', () => {
  it('gives every engine id a catalog record with at least one ability', () => {
    for (const engine of ALL_ENGINE_IDS) {
      const record: EngineCatalog = ENGINE_CATALOG[engine];
      assert.ok(Object.values(record).some((ability) => ability !== undefined), `${engine} has no ability`);
    }
  });

  it('lets every convert engine win at least one pair under the precedence order', () => {
    const served = new Set(listConversionTypes().map((t) => t.engine));
    for (const engine of ENGINE_IDS) assert.ok(served.has(engine), `${engine} serves no pair: every pair it lists goes to an engine before it`);
  });

  it('has the worker implement every ability of every engine', async () => {
    const config = loadConfig({ DATA_DIR: os.tmpdir() });
    const engines = createEngines(engineSettings(config, await startSandbox(config)));
    try {
      assert.deepEqual([...engines.ids], [...ALL_ENGINE_IDS]);
      for (const engine of ENGINE_IDS) assert.equal(typeof engines.converters[engine].convert, 'function', engine);
      for (const engine of INFO_ENGINE_IDS) assert.equal(typeof engines.infoReaders[engine].info, 'function', engine);
      for (const engine of COMPRESS_ENGINE_IDS) assert.equal(typeof engines.compressors[engine].compress, 'function', engine);
      assert.equal(typeof engines.archiver.extract, 'function');
      assert.equal(typeof engines.pdfMerger.merge, 'function');
    } finally {
      await engines.close();
    }
  });

  it('dispatches each engine\'s plans to that engine\'s converter, with its options', async () => {
    const called: string[] = [];
    const converters = Object.fromEntries(ENGINE_IDS.map((engine) => [engine, { convert: async (request: { options: object }) => (called.push(`${engine}:${Object.keys(request.options).length}`), []) }])) as unknown as ConverterRegistry;
    for (const engine of ENGINE_IDS) {
      const pair = listConversionTypes().find((t) => t.engine === engine);
      assert.ok(pair !== undefined);
      const plan = resolvePlan({ mode: 'convert', inputformat: pair.inputformat, outputformat: pair.outputformat, converteroptions: undefined }) as ConvertPlan;
      const ctx = { state: { inputPath: '/job/input' }, services: { engines: { converters } } } as unknown as PipelineContext;
      await convertFile(ctx, plan, { outputDir: '/job/output', outputName: 'out', context: {} as never });
      const options = Object.keys(ENGINE_CATALOG[engine satisfies EngineId].convert.options).length;
      assert.equal(called.pop(), `${engine}:${options}`, `${pair.inputformat} → ${pair.outputformat} reached ${engine} with all its options`);
    }
  });
});
