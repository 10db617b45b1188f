// Graceful shutdown on SIGTERM / SIGINT: run the closers once, in order, then exit.
export function onShutdown(closers: ReadonlyArray<() => Promise<unknown>>, log: { info(o: object, m: string): void; error(o: object, m: string): void }): void {
  let closing = false;
  const stop = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
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
