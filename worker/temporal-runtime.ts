import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

let installed = false;

/**
 * Sends the Temporal SDK's logs (worker, workflows through `log`, activities) to the process logger. Must run
 * before the first connection or worker is created; later calls do nothing.
 */
export function installTemporalRuntime(logger: Logger, level: LogLevel = 'INFO'): void {
  if (installed) {
    return;
  }
  installed = true;

  const temporalLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    // Signals are handled by `process-shutdown`, which drains the worker before stopping the services.
    shutdownSignals: [],
    logger: new DefaultLogger(level, (entry) => {
      // pino serializes errors under `err`; the SDK puts them under `error`.
      const { error, ...rest } = (entry.meta ?? {}) as { error?: unknown };
      const attributes = error === undefined ? rest : { ...rest, err: error };
      switch (entry.level) {
        case 'TRACE':
        case 'DEBUG':
          temporalLogger.debug(attributes, entry.message);
          break;
        case 'INFO':
          temporalLogger.info(attributes, entry.message);
          break;
        case 'WARN':
          temporalLogger.warn(attributes, entry.message);
          break;
        case 'ERROR':
          temporalLogger.error(attributes, entry.message);
          break;
      }
    }),
  });
}
