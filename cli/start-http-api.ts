import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { MesClient } from '../client/mes-client';
import { PatientHistoryClient } from '../client/patient-history-client';
import type { Settings } from '../config/settings';
import { startApiServer, type RunningApiServer } from '../http/api-server';
import { runOnShutdownSignal } from '../worker/process-shutdown';

/** The connections the HTTP API serves requests with. */
export interface HttpApiConnections {
  mes: MesClient;
  temporal: Client;
  pool: Pool;
  pseudonymKey: Buffer;
}

/**
 * Starts the HTTP API on the settings' host and port, with their token and wait limit. SIGINT and SIGTERM stop
 * it before the services registered earlier, so that no request is left without its database or Temporal.
 */
export async function startHttpApi(settings: Settings, logger: Logger, connections: HttpApiConnections): Promise<RunningApiServer> {
  const server = await startApiServer({
    host: settings.httpHost,
    port: settings.httpPort,
    token: settings.httpToken,
    logger,
    services: {
      mes: connections.mes,
      temporal: connections.temporal,
      history: new PatientHistoryClient({ pool: connections.pool, pseudonymKey: connections.pseudonymKey }),
      maxWaitMs: settings.httpMaxWaitMs,
    },
  });
  runOnShutdownSignal(() => server.stop());
  return server;
}

/** Describes the API's address and access for the startup message of `mes dev` and `mes api`. */
export function describeHttpApi(server: RunningApiServer, settings: Settings): string {
  const access = settings.httpToken ? 'bearer token of MES_HTTP_TOKEN required' : 'no token: reachable from this machine only';
  return `${server.url} (${access}; OpenAPI at ${server.url}/openapi.json)`;
}
