import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { Pool } from 'pg';
import { inject } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LifecycleDelays, VisibilityDelays } from '../../activities/activity-dependencies';
import { AesGcmPayloadCodec } from '../../codec/aes-gcm-codec';
import { parsePayloadKeys } from '../../config/payload-keys';
import { createPdfLetterSender } from '../../letters/pdf-letter-sender';
import { MesClient } from '../../client/mes-client';
import { createSmtpSender } from '../../mail/smtp-sender';
import { createLogger } from '../../config/logger';
import { createOrchestratorWorker, type OrchestratorWorker } from '../../worker/orchestrator-worker';
import { ensureSearchAttributes } from '../../worker/search-attribute-registration';
import { startSmtpTestServer, type SmtpTestServer } from './smtp-test-server';

/** Sender address of notices in tests. */
export const TEST_MAIL_FROM = 'Mon espace santé <ne-pas-repondre@monespacesante.example>';

/** Everything a test file runs against: the shared real servers, its own worker, SMTP server and client. */
export interface TestEnvironment {
  temporalAddress: string;
  databaseUrl: string;
  taskQueue: string;
  pseudonymKey: Buffer;
  pool: Pool;
  smtp: SmtpTestServer;
  /** Folder where the test's PDF letters are written. */
  lettersDir: string;
  /** The payload keys of this environment, as `MES_PAYLOAD_KEYS` for a `mes` process that must share them. */
  payloadKeys: string;
  temporal: Client;
  client: MesClient;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/**
 * Starts a worker on a task queue of its own against the run's Temporal server and PostgreSQL, with a real SMTP
 * server on 127.0.0.1 as its mail relay. Call in `beforeAll`, and `stop()` in `afterAll`.
 */
export async function startTestEnvironment(
  name: string,
  options: {
    visibilityDelays?: VisibilityDelays;
    lifecycleDelays?: LifecycleDelays;
    /** Relay of the worker instead of the environment's SMTP server, for outage tests. */
    smtpUrl?: string;
    /** Connection, greeting and socket timeouts of the worker's SMTP client, shortened by timeout tests. */
    smtpTimeoutMs?: number;
    /** Servers of their own, for the tests that restart them; the run's shared ones otherwise. */
    temporalAddress?: string;
    databaseUrl?: string;
  } = {},
): Promise<TestEnvironment> {
  if (!runtimeInstalled) {
    // Workflow rejections are logged as failed workflows at WARN; tests keep only errors.
    // The native core's warnings go through the same logger: a test that restarts a server expects retried calls.
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } } });
    runtimeInstalled = true;
  }

  const temporalAddress = options.temporalAddress ?? inject('temporalAddress');
  const databaseUrl = options.databaseUrl ?? inject('databaseUrl');
  const taskQueue = `test-${name}-${randomUUID()}`;
  const pseudonymKey = randomBytes(32);
  const payloadKeys = `test:${randomBytes(32).toString('hex')}`;
  const { keys, currentKeyId } = parsePayloadKeys(payloadKeys);
  const payloadCodec = new AesGcmPayloadCodec(keys, currentKeyId);

  const pool = new Pool({ connectionString: databaseUrl, max: 5 });
  // An idle connection fails when a test restarts PostgreSQL; the next query opens a new one.
  pool.on('error', () => undefined);
  const lettersDir = mkdtempSync(path.join(os.tmpdir(), 'mes-letters-'));
  const smtp = await startSmtpTestServer();
  // A test of SMTP outages points the worker elsewhere, at a port where a server starts later.
  const relay = new URL(options.smtpUrl ?? smtp.url);
  if (options.smtpTimeoutMs !== undefined) {
    for (const name of ['connectionTimeout', 'greetingTimeout', 'socketTimeout']) {
      relay.searchParams.set(name, String(options.smtpTimeoutMs));
    }
  }
  const mailSender = createSmtpSender(relay.toString());

  const created: OrchestratorWorker = await createOrchestratorWorker({
    temporalAddress,
    namespace: 'default',
    taskQueue,
    pool,
    mailSender,
    mailFrom: TEST_MAIL_FROM,
    pseudonymKey,
    workflows: { workflowBundle: { codePath: inject('workflowBundlePath') } },
    visibilityDelays: options.visibilityDelays,
    lifecycleDelays: options.lifecycleDelays,
    letterSender: createPdfLetterSender(lettersDir),
    payloadCodec,
  });
  const running = created.worker.run();

  const connection = await Connection.connect({ address: temporalAddress });
  if (options.temporalAddress) {
    // The run's shared server got them in global setup; a test's own server needs them before any workflow runs.
    await ensureSearchAttributes(connection, 'default', createLogger('warn', 'test-environment'));
  }
  const temporal = new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [payloadCodec] } });
  const client = new MesClient({ client: temporal, taskQueue, pseudonymKey });

  return {
    temporalAddress,
    databaseUrl,
    taskQueue,
    pseudonymKey,
    pool,
    smtp,
    lettersDir,
    payloadKeys,
    temporal,
    client,
    async stop() {
      created.worker.shutdown();
      await running;
      await created.connection.close();
      await connection.close();
      await mailSender.close();
      await smtp.close();
      await pool.end();
      rmSync(lettersDir, { recursive: true, force: true });
    },
  };
}
