import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { CONSULTATION_REJECTION_MESSAGES, REJECTION_MESSAGES } from '../domain/rejections';
import type { Logger } from 'pino';

let installed = false;

/**
 * Returns the rejection code of a failed workflow's error, or null for a fault. The SDK hands the logger a plain
 * `Error` copied out of the workflow sandbox, without the failure's `type`, so the French message identifies it.
 */
function rejectionCodeOf(error: unknown): string | null {
  if (!(error instanceof Error) || !error.stack?.startsWith('ApplicationFailure:')) {
    return null;
  }
  for (const [code, message] of [...Object.entries(REJECTION_MESSAGES), ...Object.entries(CONSULTATION_REJECTION_MESSAGES)]) {
    // An account event's rejection appends the event and the status to its constant first sentence.
    if (error.message === message || error.message.startsWith(`${message} `)) {
      return code;
    }
  }
  return null;
}

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
    // The native core logs (a lost connection to the server, retried calls) join the process logs in JSON,
    // instead of going to the console in a format of their own.
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
    logger: new DefaultLogger(level, (entry) => {
      // pino serializes errors under `err`; the SDK puts them under `error`.
      const { error, ...rest } = (entry.meta ?? {}) as { error?: unknown };

      // The SDK logs every failed workflow as a warning with its stack, but a rejection (an opposed patient, a
      // closed DMP) is a normal outcome: log it at info with its code only.
      const rejectionCode = entry.message === 'Workflow failed' ? rejectionCodeOf(error) : null;
      if (rejectionCode) {
        temporalLogger.info({ ...rest, errorCode: rejectionCode }, 'Workflow rejected the request');
        return;
      }

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
