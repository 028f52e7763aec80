import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { MesClient } from '../client/mes-client';
import { PatientSpaceClient } from '../client/patient-space-client';
import { loadPayloadCodec } from '../config/payload-keys';
import { loadPseudonymKey } from '../config/pseudonym-key';
import type { Settings } from '../config/settings';
import { connectOptionsFor } from '../config/temporal-connection';
import { migrate } from '../store/migrate';
import { startEmbeddedPostgres } from '../worker/embedded-postgres';
import { runOnShutdownSignal } from '../worker/process-shutdown';
import { findRunningDevStack, startServiceStack } from '../worker/service-stack';
import path from 'node:path';

/** A connection to the orchestrator for one CLI command. */
export interface Session {
  client: MesClient;
  /** The Temporal client under `client`, for workflows the typed client does not wrap. */
  temporal: Client;
  /** The database, when one is reachable. */
  pool: Pool | null;
  /** The holder's reading client, when a database is reachable. */
  patientSpace: PatientSpaceClient | null;
  /** True when this process runs the worker, so the command must wait for its workflows before leaving. */
  ownsWorker: boolean;
  /** Where notification emails go, for the command's closing words; null when another process decides. */
  mailDestination: string | null;
  close(): Promise<void>;
}

/** Connects to Temporal with the deployment's payload codec, and wraps the client in the typed client. */
export async function connectClient(address: string, settings: Settings): Promise<{ client: MesClient; temporal: Client; connection: Connection }> {
  const connection = await Connection.connect(connectOptionsFor(settings, address));
  const temporal = new Client({
    connection,
    namespace: settings.temporalNamespace,
    dataConverter: { payloadCodecs: [loadPayloadCodec(settings)] },
  });
  const client = new MesClient({ client: temporal, taskQueue: settings.taskQueue, pseudonymKey: loadPseudonymKey(settings) });
  return { client, temporal, connection };
}

/**
 * Opens a session on the services of a running `mes dev` when there is one. Otherwise it uses the configured
 * Temporal server, whose workers do the work unless `runWorker` requests one here. Without either, it starts
 * embedded services and a worker for this command only.
 */
export async function openSession(settings: Settings, logger: Logger, options: { runWorker: boolean }): Promise<Session> {
  const devStack = settings.temporalAddress ? null : findRunningDevStack(settings);
  if (devStack) {
    logger.info({ temporalAddress: devStack.temporalAddress, pid: devStack.pid }, 'Using the services of the running mes dev');
    return attach(devStack.temporalAddress, settings.databaseUrl ?? devStack.databaseUrl, settings);
  }

  if (settings.temporalAddress && !options.runWorker) {
    return attach(settings.temporalAddress, settings.databaseUrl ?? null, settings);
  }

  const stack = await startServiceStack(settings, logger, { ui: false, worker: true, advertise: false });
  try {
    const { client, temporal, connection } = await connectClient(stack.temporalAddress, settings);
    return {
      client,
      temporal,
      pool: stack.pool,
      patientSpace: new PatientSpaceClient({ pool: stack.pool, pseudonymKey: stack.pseudonymKey }),
      ownsWorker: true,
      mailDestination: stack.mailDestination,
      async close() {
        await connection.close();
        await stack.stop();
      },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** Connects to services that another process runs; its workers do the work. */
async function attach(temporalAddress: string, databaseUrl: string | null, settings: Settings): Promise<Session> {
  const { client, temporal, connection } = await connectClient(temporalAddress, settings);
  const pool = databaseUrl ? new Pool({ connectionString: databaseUrl, max: 2 }) : null;
  return {
    client,
    temporal,
    pool,
    patientSpace: pool ? new PatientSpaceClient({ pool, pseudonymKey: loadPseudonymKey(settings) }) : null,
    ownsWorker: false,
    mailDestination: null,
    async close() {
      await connection.close();
      await pool?.end();
    },
  };
}

/** Opens the database alone, for reading: the running `mes dev`'s, `DATABASE_URL`, or an embedded server. */
export async function openDatabase(settings: Settings, logger: Logger): Promise<{ pool: Pool; close(): Promise<void> }> {
  const databaseUrl = settings.databaseUrl ?? findRunningDevStack(settings)?.databaseUrl;
  if (databaseUrl) {
    const pool = new Pool({ connectionString: databaseUrl, max: 2 });
    return { pool, close: () => pool.end() };
  }

  const postgres = await startEmbeddedPostgres(path.join(settings.dataDir, 'postgres'), logger);
  const pool = new Pool({ connectionString: postgres.databaseUrl, max: 2 });
  const close = async () => {
    unregister();
    await pool.end();
    await postgres.stop();
  };
  const unregister = runOnShutdownSignal(close);
  await migrate(pool);
  return { pool, close };
}
