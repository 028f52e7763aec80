import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { startEmbeddedPostgres } from './embedded-postgres';
import { ensureSearchAttributes } from './search-attribute-registration';
import { startTemporalDevServer } from './temporal-dev-server';

/** A Temporal server and a PostgreSQL to run against, and how to stop those started here. */
export interface RunServices {
  temporalAddress: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Uses the given Temporal address and database URL, and starts what is missing: a dev server with histories in
 * memory, or an embedded PostgreSQL with its data in `workDir`. Then registers the search attributes in the
 * `default` namespace. For the test suite and the benchmark, whose runs leave nothing behind; `mes dev` keeps
 * its data instead (see `service-stack`).
 */
export async function startMissingServices(
  configured: { temporalAddress?: string; databaseUrl?: string },
  workDir: string,
  logger: Logger,
): Promise<RunServices> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) {
      await step();
    }
  };

  try {
    let temporalAddress = configured.temporalAddress;
    if (!temporalAddress) {
      const server = await startTemporalDevServer({ namespace: 'default' }, logger);
      stops.push(() => server.stop());
      temporalAddress = server.address;
    }

    let databaseUrl = configured.databaseUrl;
    if (!databaseUrl) {
      const postgres = await startEmbeddedPostgres(path.join(workDir, 'postgres'), logger);
      stops.push(() => postgres.stop());
      databaseUrl = postgres.databaseUrl;
    }

    const connection = await Connection.connect({ address: temporalAddress });
    try {
      await ensureSearchAttributes(connection, 'default', logger);
    } finally {
      await connection.close();
    }
    return { temporalAddress, databaseUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
