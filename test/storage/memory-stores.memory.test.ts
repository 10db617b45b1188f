// The in-memory stores of the fast API tests (test/helpers/memory) against the conformance suites
// the Redis ones pass too (redis-stores.test.ts): what the fast tests see is what a server does.
import { runKeyValueConformance } from './key-value-conformance.js';
import { runProcessRepositoryConformance } from './process-repository-conformance.js';
import { MemoryKeyValue } from '../helpers/memory/key-value.js';
import { MemoryProcessRepository } from '../helpers/memory/process-repository.js';

runProcessRepositoryConformance('memory', async () => {
  const repository = new MemoryProcessRepository();
  return { repository, feed: repository.feed, cleanup: async () => undefined };
});

runKeyValueConformance('memory', async () => ({ store: new MemoryKeyValue(), cleanup: async () => undefined }));
