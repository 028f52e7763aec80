import type { Logger } from 'pino';
import type { Settings } from '../../config/settings';
import { runOnShutdownSignal } from '../../worker/process-shutdown';
import { findRunningDevStack, startServiceStack } from '../../worker/service-stack';
import { connectClient } from '../session';
import { describeHttpApi, startHttpApi } from '../start-http-api';

/** Runs `mes dev`: the embedded services, a worker and the HTTP API, until SIGINT or SIGTERM. */
export async function devCommand(settings: Settings, logger: Logger): Promise<void> {
  const running = findRunningDevStack(settings);
  if (running) {
    throw new Error(`mes dev already runs for ${settings.dataDir} (process ${running.pid}); stop it first or set MES_DATA_DIR`);
  }

  const stack = await startServiceStack(settings, logger, { ui: true, worker: true, advertise: true });
  let httpApi: string;
  try {
    const { client, temporal, connection } = await connectClient(stack.temporalAddress, settings);
    runOnShutdownSignal(() => connection.close());
    const server = await startHttpApi(settings, logger, { mes: client, temporal, pool: stack.pool, pseudonymKey: stack.pseudonymKey });
    httpApi = describeHttpApi(server, settings);
  } catch (error) {
    await stack.stop();
    throw error;
  }

  process.stdout.write(
    [
      'Mon espace santé orchestrator is running.',
      `  Temporal frontend: ${stack.temporalAddress}`,
      `  Temporal Web UI:   ${stack.uiUrl ?? 'not started here (TEMPORAL_ADDRESS is set)'}`,
      `  Codec server:      ${stack.codecServerUrl ?? 'not started'} (the Web UI decodes payloads through it)`,
      `  HTTP API:          ${httpApi}`,
      `  Task queue:        ${settings.taskQueue}`,
      `  Emails:            ${stack.mailDestination}`,
      'Other mes commands (submit, demo, history) now use these services. Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  // Runs until SIGINT or SIGTERM: the shutdown handlers installed by main stop the stack, then exit with 0.
  await new Promise<never>(() => undefined);
}
