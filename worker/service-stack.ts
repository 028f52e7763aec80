import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import type { PayloadCodec } from '@temporalio/common';
import { startCodecServer } from '../codec/codec-server';
import { loadPayloadCodec } from '../config/payload-keys';
import { loadPseudonymKey } from '../config/pseudonym-key';
import type { Settings } from '../config/settings';
import { connectOptionsFor } from '../config/temporal-connection';
import { createPdfLetterSender } from '../letters/pdf-letter-sender';
import { createMailSender, lettersDirOf, outboxDirOf } from '../mail/create-mail-sender';
import type { MailSender } from '../mail/mail-sender';
import { migrate } from '../store/migrate';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';
import { runOnShutdownSignal } from './process-shutdown';
import { ensureStatementSchedule } from './statement-schedule';
import { createOrchestratorWorker, type OrchestratorWorker } from './orchestrator-worker';
import { startTemporalDevServer, type RunningDevServer } from './temporal-dev-server';
import { ensureSearchAttributes } from './search-attribute-registration';
import { workerTuningOf } from './worker-tuning';

/** The services a command runs against, whether started here or configured. */
export interface ServiceStack {
  /** Remote codec for the Temporal Web UI, when this process started it (`mes dev`). */
  codecServerUrl: string | null;
  temporalAddress: string;
  databaseUrl: string;
  pool: Pool;
  mailSender: MailSender;
  pseudonymKey: Buffer;
  /** Temporal Web UI, when this process started the dev server with it. */
  uiUrl: string | null;
  /** Destination of emails: the outbox folder, or the SMTP relay's host. */
  mailDestination: string;
  stop(): Promise<void>;
}

/** Record that `mes dev` writes so that other `mes` commands use its services instead of starting their own. */
interface StackStateFile {
  pid: number;
  temporalAddress: string;
  databaseUrl: string;
  uiUrl: string | null;
}

function stateFileOf(settings: Settings): string {
  return path.join(settings.dataDir, 'run', 'dev-stack.json');
}

/** Returns the services of a running `mes dev` for this data folder, or null when none runs. */
export function findRunningDevStack(settings: Settings): StackStateFile | null {
  let state: StackStateFile;
  try {
    state = JSON.parse(readFileSync(stateFileOf(settings), 'utf8')) as StackStateFile;
  } catch {
    return null;
  }
  try {
    // Signal 0 checks that the process exists without touching it.
    process.kill(state.pid, 0);
    return state;
  } catch {
    return null;
  }
}

/** Options of `startServiceStack`. */
export interface StackOptions {
  /** Start the Temporal Web UI with the dev server. */
  ui: boolean;
  /** Run a worker in this process. */
  worker: boolean;
  /** Record the services for other `mes` commands (only `mes dev` does). */
  advertise: boolean;
}

/**
 * Starts the services the settings do not point to: the Temporal dev server (histories in a SQLite file) and an
 * embedded PostgreSQL, both with data under the data folder. Then migrates the database and, if asked, runs a
 * worker. `stop()` undoes it in reverse order.
 */
export async function startServiceStack(settings: Settings, logger: Logger, options: StackOptions): Promise<ServiceStack> {
  mkdirSync(settings.dataDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    unregister();
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => logger.error({ err: error }, 'Failed to stop a service'));
    }
  };
  const unregister = runOnShutdownSignal(stopAll);

  try {
    const payloadCodec = loadPayloadCodec(settings);
    let codecServerUrl: string | null = null;
    if (options.ui) {
      // The Web UI shows encrypted payloads as such unless it can call this codec server.
      const uiOrigins = [`http://127.0.0.1:${settings.temporalUiPort}`, `http://localhost:${settings.temporalUiPort}`];
      const codecServer = await startCodecServer(payloadCodec, { port: settings.codecServerPort, allowedOrigins: uiOrigins });
      stops.push(() => codecServer.stop());
      codecServerUrl = codecServer.url;
    }

    let devServer: RunningDevServer | null = null;
    let temporalAddress = settings.temporalAddress;
    if (!temporalAddress) {
      devServer = await startTemporalDevServer(
        {
          dbFile: path.join(settings.dataDir, 'temporal', 'dev-server.sqlite'),
          port: settings.temporalPort,
          uiPort: options.ui ? settings.temporalUiPort : undefined,
          uiCodecEndpoint: codecServerUrl ?? undefined,
          namespace: settings.temporalNamespace,
        },
        logger,
      );
      stops.push(() => devServer!.stop());
      temporalAddress = devServer.address;
    }

    let postgres: RunningPostgres | null = null;
    let databaseUrl = settings.databaseUrl;
    if (!databaseUrl) {
      postgres = await startEmbeddedPostgres(path.join(settings.dataDir, 'postgres'), logger);
      stops.push(() => postgres!.stop());
      databaseUrl = postgres.databaseUrl;
    }

    const pool = new Pool({ connectionString: databaseUrl, max: settings.databasePoolSize });
    let poolEnded = false;
    // An idle client's error (for example a database restart) must not crash the process; the next query reconnects.
    // pool.end() resolves before the sockets close, so errors raised while stopping are expected and not logged.
    pool.on('error', (error) => {
      if (!poolEnded) {
        logger.warn({ err: error }, 'Idle database connection failed');
      }
    });
    stops.push(async () => {
      poolEnded = true;
      await pool.end();
    });
    const applied = await migrate(pool);
    if (applied.length > 0) {
      logger.info({ migrations: applied }, 'Database migrated');
    }

    const mailSender = createMailSender(settings);
    stops.push(() => mailSender.close());
    const mailDestination = settings.smtpUrl ? `SMTP relay ${new URL(settings.smtpUrl).host}` : outboxDirOf(settings);
    const pseudonymKey = loadPseudonymKey(settings);

    if (options.worker) {
      const connection = await Connection.connect(connectOptionsFor(settings, temporalAddress));
      stops.push(() => connection.close());
      await ensureSearchAttributes(connection, settings.temporalNamespace, logger);

      const running = await startWorker(settings, { temporalAddress, pool, mailSender, pseudonymKey, payloadCodec }, logger);
      stops.push(running.stop);

      const client = new Client({ connection, namespace: settings.temporalNamespace, dataConverter: { payloadCodecs: [payloadCodec] } });
      await ensureStatementSchedule(client, settings.taskQueue, logger, settings.statementCron);
    }

    if (options.advertise) {
      const stateFile = stateFileOf(settings);
      mkdirSync(path.dirname(stateFile), { recursive: true });
      const state: StackStateFile = { pid: process.pid, temporalAddress, databaseUrl, uiUrl: devServer?.uiUrl ?? null };
      writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
      stops.push(async () => rmSync(stateFile, { force: true }));
    }

    return {
      codecServerUrl,
      temporalAddress,
      databaseUrl,
      pool,
      mailSender,
      pseudonymKey,
      uiUrl: devServer?.uiUrl ?? null,
      mailDestination,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Runs a worker until `stop()`, which drains it; a worker that dies is logged and ends the process. */
async function startWorker(
  settings: Settings,
  services: { temporalAddress: string; pool: Pool; mailSender: MailSender; pseudonymKey: Buffer; payloadCodec: PayloadCodec },
  logger: Logger,
): Promise<{ stop: () => Promise<void> }> {
  const created: OrchestratorWorker = await createOrchestratorWorker({
    ...services,
    connectionOptions: connectOptionsFor(settings, services.temporalAddress),
    namespace: settings.temporalNamespace,
    taskQueue: settings.taskQueue,
    mailFrom: settings.mailFrom,
    visibilityDelays: settings.visibilityDelays,
    lifecycleDelays: settings.lifecycleDelays,
    letterSender: createPdfLetterSender(lettersDirOf(settings)),
    tuning: workerTuningOf(settings),
  });

  let stopping = false;
  const running = created.worker.run().catch((error: unknown) => {
    logger.fatal({ err: error }, 'Worker failed');
    if (!stopping) {
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    }
  });
  logger.info({ taskQueue: settings.taskQueue }, 'Worker started');

  return {
    async stop() {
      stopping = true;
      if (created.worker.getState() === 'RUNNING') {
        created.worker.shutdown();
      }
      await running;
      await created.connection.close();
      logger.info({ taskQueue: settings.taskQueue }, 'Worker stopped');
    },
  };
}
