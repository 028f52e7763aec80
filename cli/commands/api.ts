import type { Logger } from 'pino';
import { loadPseudonymKey } from '../../config/pseudonym-key';
import type { Settings } from '../../config/settings';
import { runOnShutdownSignal } from '../../worker/process-shutdown';
import { openSession } from '../session';
import { describeHttpApi, startHttpApi } from '../start-http-api';

/**
 * Runs `mes api`: the HTTP API alone, against the configured Temporal and PostgreSQL, until SIGINT or SIGTERM.
 * Workers started elsewhere (`mes worker`) run the workflows it starts.
 */
export async function apiCommand(settings: Settings, logger: Logger): Promise<void> {
  if (!settings.temporalAddress || !settings.databaseUrl) {
    throw new Error('mes api needs TEMPORAL_ADDRESS and DATABASE_URL; on a single machine, mes dev serves the HTTP API too');
  }

  const session = await openSession(settings, logger, { runWorker: false });
  runOnShutdownSignal(() => session.close());
  try {
    if (!session.pool) {
      throw new Error('mes api found no database to read histories from: check DATABASE_URL');
    }
    const server = await startHttpApi(settings, logger, {
      mes: session.client,
      temporal: session.temporal,
      pool: session.pool,
      pseudonymKey: loadPseudonymKey(settings),
    });
    process.stdout.write(
      `HTTP API: ${describeHttpApi(server, settings)}\nWorkers on task queue ${settings.taskQueue} run the workflows. Press Ctrl+C to stop.\n`,
    );
  } catch (error) {
    await session.close();
    throw error;
  }

  // The shutdown handlers installed by main stop the server, then the session, then exit with 0.
  await new Promise<never>(() => undefined);
}
