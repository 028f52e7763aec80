import type { Logger } from 'pino';

const cleanups: Array<() => Promise<void>> = [];

/**
 * Registers a cleanup to run, newest first, when the process receives SIGINT or SIGTERM. Returns the function
 * that unregisters it, for a service stopped in the normal way.
 */
export function runOnShutdownSignal(cleanup: () => Promise<void>): () => void {
  cleanups.push(cleanup);
  return () => {
    const index = cleanups.indexOf(cleanup);
    if (index >= 0) {
      cleanups.splice(index, 1);
    }
  };
}

/**
 * Stops the registered services on SIGINT or SIGTERM (worker drained first, then the database and Temporal),
 * then exits with `exitCode`, or 128 plus the signal number when it is not given. A second signal exits at once.
 */
export function installShutdownSignalHandlers(logger: Logger, exitCode?: number): void {
  const signalNumbers = { SIGINT: 2, SIGTERM: 15 } as const;

  for (const signal of Object.keys(signalNumbers) as Array<keyof typeof signalNumbers>) {
    process.once(signal, () => {
      logger.info({ signal }, 'Signal received; stopping');
      process.once(signal, () => process.exit(128 + signalNumbers[signal]));

      const run = async () => {
        for (const cleanup of cleanups.reverse()) {
          await cleanup().catch((error: unknown) => logger.error({ err: error }, 'Cleanup failed during shutdown'));
        }
      };
      void run().then(() => process.exit(exitCode ?? 128 + signalNumbers[signal]));
    });
  }
}
