// Graceful shutdown on SIGTERM / SIGINT: run the closers once, in order, then exit. A deadline
// (SHUTDOWN_TIMEOUT_SECONDS) guarantees the exit even if a closer hangs (e.g. on a Redis that is
// gone, or a client that downloads slowly); every entry sets it.
export interface ShutdownOptions {
  /** Exit with code 1 if the closers have not finished after this long. */
  readonly deadlineMs?: number;
}

type Log = { info(o: object, m: string): void; error(o: object, m: string): void };

export function onShutdown(closers: ReadonlyArray<() => Promise<unknown>>, log: Log, options: ShutdownOptions = {}): void {
  let closing = false;
  const stop = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    if (options.deadlineMs !== undefined) {
      setTimeout(() => {
        log.error({ deadlineMs: options.deadlineMs }, 'shutdown did not finish in time; exiting');
        // Not process.exit(): at exit libuv joins its thread pool, so an image encode still
        // running there (sharp) would hold the exit until it ends. SIGKILL ends it now.
        process.kill(process.pid, 'SIGKILL');
      }, options.deadlineMs).unref();
    }
    for (const close of closers) {
      try {
        await close();
      } catch (error) {
        log.error({ err: error }, 'error during shutdown');
      }
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
