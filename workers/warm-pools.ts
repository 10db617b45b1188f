// The warm start of the pools (WARM_POOLS): right after the worker starts, every LibreOffice
// instance and Chromium browser starts in the background, so the first jobs and a rise in load
// do not pay a cold start; the worker takes jobs meanwhile. Each pool's outcome is one log line.
import type { Logger } from '../src/core/logger.js';
import type { PoolEngineId } from './converters/registry.js';
import type { PoolWarmer, WarmReport } from './converters/types.js';

/** Warms every pool at once and logs each as it ends; never rejects (a pool that did not warm starts on first use). */
export async function warmPools(pools: { readonly [E in PoolEngineId]: PoolWarmer }, log: Logger): Promise<void> {
  const started = performance.now();
  await Promise.all(
    Object.entries(pools).map(async ([engine, pool]) => {
      const report = await pool.warm().catch((error: unknown) => ({ started: 0, failures: [error instanceof Error ? error : new Error(String(error))] }));
      logWarm(log, engine, report, Math.round(performance.now() - started));
    }),
  );
}

function logWarm(log: Logger, engine: string, report: WarmReport, ms: number): void {
  if ('skipped' in report) {
    log.info({ engine, reason: report.skipped }, `${engine} pool not warmed: ${report.skipped}`);
    return;
  }
  const { started, failures } = report;
  if (failures.length > 0) {
    const errors = failures.map((error) => error.message);
    log.warn({ engine, started, failed: failures.length, ms, errors }, `${engine} pool: ${failures.length} instance(s) did not start ahead of jobs (they start on first use): ${errors[0] ?? ''}`);
  } else if (started > 0) log.info({ engine, started, ms }, `${engine} pool warm`);
  // Neither: the worker closed during the warm-up (or every slot was taken by a job first).
}
