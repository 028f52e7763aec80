import type { Logger } from 'pino';
import type { Settings } from '../../config/settings';
import { startServiceStack } from '../../worker/service-stack';

/**
 * Runs `mes worker`: one worker process on the task queue, against the configured services, until SIGINT or
 * SIGTERM. Start several, on one machine or many, to share the work; each drains its tasks when stopped.
 */
export async function workerCommand(settings: Settings, logger: Logger): Promise<void> {
  if (!settings.temporalAddress || !settings.databaseUrl) {
    throw new Error('mes worker needs TEMPORAL_ADDRESS and DATABASE_URL; for a single machine, run mes dev instead');
  }
  await startServiceStack(settings, logger, { ui: false, worker: true, advertise: false });
  process.stdout.write(`Worker running on task queue ${settings.taskQueue}. Press Ctrl+C to stop.\n`);
  // The shutdown handlers installed by main stop the worker, then exit with 0.
  await new Promise<never>(() => undefined);
}
