import path from 'node:path';
import { NativeConnection, Worker, type NativeConnectionOptions, type WorkerOptions } from '@temporalio/worker';
import type { Pool } from 'pg';
import {
  DEFAULT_LIFECYCLE_DELAYS,
  DEFAULT_VISIBILITY_DELAYS,
  type LifecycleDelays,
  type VisibilityDelays,
} from '../activities/activity-dependencies';
import type { PayloadCodec } from '@temporalio/common';
import type { LetterSender } from '../letters/letter-sender';
import { createActivities } from '../activities/create-activities';
import type { MailSender } from '../mail/mail-sender';
import type { WorkerTuningOptions } from './worker-tuning';

/** Source of the worker's workflow code: the source folder, bundled at start, or a prebuilt bundle. */
export type WorkflowSource = { workflowsPath: string } | { workflowBundle: { codePath: string } };

/** The source of the workflows: `workflows/index.ts`, bundled by the worker at start. */
export const WORKFLOWS_SOURCE: WorkflowSource = { workflowsPath: path.join(__dirname, '..', 'workflows', 'index.ts') };

/** Options of a worker: the Temporal connection, the task queue and the activities' real dependencies. */
export interface OrchestratorWorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  mailSender: MailSender;
  mailFrom: string;
  pseudonymKey: Buffer;
  workflows?: WorkflowSource;
  /** Delays of documents hidden from the patient; the defaults are 14 and 30 days. */
  visibilityDelays?: VisibilityDelays;
  /** Delays of the account lifecycle; the defaults are 6 weeks, 10 years and 90 days. */
  lifecycleDelays?: LifecycleDelays;
  /** The postal channel, for letters. */
  letterSender: LetterSender;
  /** Codec that encrypts workflow payloads; clients of the task queue must use the same keys. */
  payloadCodec?: PayloadCodec;
  /** Worker identity shown in the Temporal Web UI. */
  identity?: string;
  /** TLS, API key and headers of the connection to `temporalAddress`; none for the embedded dev server. */
  connectionOptions?: NativeConnectionOptions;
  /** Concurrency and cache limits; the SDK's defaults when absent. */
  tuning?: WorkerTuningOptions;
}

/** A created worker and the connection to close after it stops. */
export interface OrchestratorWorker {
  worker: Worker;
  connection: NativeConnection;
}

/** Creates a worker that polls the task queue for the orchestrator's workflows and activities. */
export async function createOrchestratorWorker(options: OrchestratorWorkerOptions): Promise<OrchestratorWorker> {
  const connection = await NativeConnection.connect({ ...options.connectionOptions, address: options.temporalAddress });
  const activities = createActivities({
    pool: options.pool,
    mailSender: options.mailSender,
    mailFrom: options.mailFrom,
    pseudonymKey: options.pseudonymKey,
    clock: () => new Date(),
    visibilityDelays: options.visibilityDelays ?? DEFAULT_VISIBILITY_DELAYS,
    lifecycleDelays: options.lifecycleDelays ?? DEFAULT_LIFECYCLE_DELAYS,
    letterSender: options.letterSender,
  });

  const workerOptions: WorkerOptions = {
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities,
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.payloadCodec ? { dataConverter: { payloadCodecs: [options.payloadCodec] } } : {}),
    ...(options.workflows ?? WORKFLOWS_SOURCE),
    ...options.tuning,
  };
  const worker = await Worker.create(workerOptions);
  return { worker, connection };
}
