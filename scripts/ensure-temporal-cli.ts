// Finds or builds the Temporal CLI before the tests start, so that a first build on a new machine (a few
// minutes) shows its progress here instead of running inside the test runner's global setup.
import { createLogger } from '../config/logger';
import { findTemporalCli, TemporalCliUnavailableError } from '../worker/temporal-cli';

async function ensureTemporalCli(): Promise<void> {
  if (process.env.TEMPORAL_ADDRESS) {
    return;
  }
  const logger = createLogger(process.env.MES_LOG_LEVEL ?? 'info', 'ensure-temporal-cli');
  try {
    const cli = await findTemporalCli(logger);
    logger.info({ source: cli.source, path: cli.path }, 'Temporal CLI ready');
  } catch (error) {
    if (!(error instanceof TemporalCliUnavailableError)) {
      throw error;
    }
    // The dev server can still come from the Temporal SDK's download where the internet is reachable.
    logger.warn({ reason: error.message }, 'No local Temporal CLI; the tests will try the Temporal SDK download');
  }
}

ensureTemporalCli().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
