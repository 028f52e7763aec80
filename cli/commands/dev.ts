import type { Logger } from 'pino';
import type { Settings } from '../../config/settings';
import { findRunningDevStack, startServiceStack } from '../../worker/service-stack';

/** Runs `mes dev`: the embedded services and a worker, until SIGINT or SIGTERM. */
export async function devCommand(settings: Settings, logger: Logger): Promise<void> {
  const running = findRunningDevStack(settings);
  if (running) {
    throw new Error(`mes dev already runs for ${settings.dataDir} (process ${running.pid}); stop it first or set MES_DATA_DIR`);
  }

  const stack = await startServiceStack(settings, logger, { ui: true, worker: true, advertise: true });
  process.stdout.write(
    [
      'Mon espace santé orchestrator is running.',
      `  Temporal frontend: ${stack.temporalAddress}`,
      `  Temporal Web UI:   ${stack.uiUrl ?? 'not started here (TEMPORAL_ADDRESS is set)'}`,
      `  Codec server:      ${stack.codecServerUrl ?? 'not started'} (the Web UI decodes payloads through it)`,
      `  Task queue:        ${settings.taskQueue}`,
      `  Emails:            ${stack.mailDestination}`,
      'Other mes commands (submit, demo, history) now use these services. Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  // Runs until SIGINT or SIGTERM: the shutdown handlers installed by main stop the stack, then exit with 0.
  await new Promise<never>(() => undefined);
}
