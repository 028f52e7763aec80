import path from 'node:path';
import { z } from 'zod';
import { loadTemporalConnectionSettings, type TemporalConnectionSettings } from './temporal-connection';

/** Default Temporal task queue of the orchestrator's workflows and activities. */
export const DEFAULT_TASK_QUEUE = 'mon-espace-sante';

const settingsSchema = z.object({
  MES_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  DATABASE_URL: z.string().min(1).optional(),
  SMTP_URL: z.string().min(1).optional(),
  MES_DATA_DIR: z.string().min(1).default('./var'),
  MES_MAIL_FROM: z.string().min(3).default('Mon espace santé <ne-pas-repondre@monespacesante.example>'),
  MES_PSEUDONYM_KEY: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hexadecimal characters (32 bytes)').optional(),
  MES_TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  MES_TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  MES_CODEC_SERVER_PORT: z.coerce.number().int().min(1).max(65535).default(8234),
  MES_INVISIBLE_PATIENT_NOTICE_AFTER_SECONDS: z.coerce.number().int().min(1).default(14 * 24 * 3600),
  MES_INVISIBLE_PATIENT_VISIBLE_AFTER_SECONDS: z.coerce.number().int().min(1).default(30 * 24 * 3600),
  MES_OPENING_WINDOW_SECONDS: z.coerce.number().int().min(1).default(42 * 24 * 3600),
  MES_ARCHIVE_RETENTION_SECONDS: z.coerce.number().int().min(1).default(Math.round(3652.5 * 24 * 3600)),
  MES_DELETION_DELAY_SECONDS: z.coerce.number().int().min(0).default(90 * 24 * 3600),
  MES_STATEMENT_CRON: z.string().min(9).optional(),
  MES_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  MES_WORKER_MAX_ACTIVITIES: z.coerce.number().int().min(1).optional(),
  MES_WORKER_MAX_WORKFLOW_TASKS: z.coerce.number().int().min(2).optional(),
  MES_WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  MES_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  MES_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  MES_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(8235),
  MES_HTTP_TOKEN: z
    .string()
    .min(16, 'expected at least 16 characters; generate one with: openssl rand -hex 32')
    .optional(),
  MES_HTTP_MAX_WAIT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
});

/** Settings read from the environment; unset services are started by the project (see `worker/`). */
export interface Settings {
  /** Temporal frontend to use instead of starting the dev server, for example `temporal.internal:7233`. */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  /** The whole Temporal connection, from Temporal's environment configuration (address, namespace, TLS, API key). */
  temporal: TemporalConnectionSettings;
  taskQueue: string;
  /** PostgreSQL to use instead of the embedded server. */
  databaseUrl: string | undefined;
  /** SMTP relay, for example `smtp://relay:587`; without it mail is written as `.eml` files. */
  smtpUrl: string | undefined;
  /** Absolute folder for the embedded services' data, the outbox and the keys. */
  dataDir: string;
  mailFrom: string;
  /** Key (hex) of the keyed hash that turns an INS into a pseudonymous patient reference. */
  pseudonymKeyHex: string | undefined;
  temporalPort: number;
  temporalUiPort: number;
  /** Port of the codec server that `mes dev` starts for the Web UI. */
  codecServerPort: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Delays of an INVISIBLE_PATIENT document before the update notice and before it becomes visible, in ms. */
  visibilityDelays: { updateNoticeAfterMs: number; visibleAfterMs: number };
  /** Cron expression (Paris time) of the yearly statement Schedule; by default 2 January at 03:00. */
  statementCron: string | undefined;
  /** Opposition window, archive retention and express deletion delay, in ms. */
  lifecycleDelays: { openingWindowMs: number; archiveRetentionMs: number; deletionDelayMs: number };
  /** Worker concurrency and cache limits; the Temporal SDK's defaults where unset. */
  workerTuning: { maxActivities?: number; maxWorkflowTasks?: number; maxCachedWorkflows?: number };
  /** Connections the worker keeps to PostgreSQL. */
  databasePoolSize: number;
  /** Address and port the HTTP API listens on; loopback unless a token protects it. */
  httpHost: string;
  httpPort: number;
  /** Bearer token every HTTP API request must carry, except `GET /openapi.json`; none when unset. */
  httpToken: string | undefined;
  /** Maximum time a `?wait=true` request waits for the final outcome before it gets a 202, in ms. */
  httpMaxWaitMs: number;
}

/** Reads the settings from environment variables, failing with the variable's name when one is invalid. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment settings: ${details}`);
  }

  const values = parsed.data;
  const temporal = loadTemporalConnectionSettings(env);
  if (values.MES_INVISIBLE_PATIENT_VISIBLE_AFTER_SECONDS <= values.MES_INVISIBLE_PATIENT_NOTICE_AFTER_SECONDS) {
    throw new Error(
      'Invalid environment settings: MES_INVISIBLE_PATIENT_VISIBLE_AFTER_SECONDS must be longer than MES_INVISIBLE_PATIENT_NOTICE_AFTER_SECONDS',
    );
  }
  return {
    temporalAddress: temporal.address,
    temporalNamespace: temporal.namespace,
    temporal,
    taskQueue: values.MES_TASK_QUEUE,
    databaseUrl: values.DATABASE_URL,
    smtpUrl: values.SMTP_URL,
    dataDir: path.resolve(values.MES_DATA_DIR),
    mailFrom: values.MES_MAIL_FROM,
    pseudonymKeyHex: values.MES_PSEUDONYM_KEY,
    temporalPort: values.MES_TEMPORAL_PORT,
    temporalUiPort: values.MES_TEMPORAL_UI_PORT,
    codecServerPort: values.MES_CODEC_SERVER_PORT,
    logLevel: values.MES_LOG_LEVEL,
    visibilityDelays: {
      updateNoticeAfterMs: values.MES_INVISIBLE_PATIENT_NOTICE_AFTER_SECONDS * 1000,
      visibleAfterMs: values.MES_INVISIBLE_PATIENT_VISIBLE_AFTER_SECONDS * 1000,
    },
    statementCron: values.MES_STATEMENT_CRON,
    lifecycleDelays: {
      openingWindowMs: values.MES_OPENING_WINDOW_SECONDS * 1000,
      archiveRetentionMs: values.MES_ARCHIVE_RETENTION_SECONDS * 1000,
      deletionDelayMs: values.MES_DELETION_DELAY_SECONDS * 1000,
    },
    workerTuning: {
      maxActivities: values.MES_WORKER_MAX_ACTIVITIES,
      maxWorkflowTasks: values.MES_WORKER_MAX_WORKFLOW_TASKS,
      maxCachedWorkflows: values.MES_WORKER_MAX_CACHED_WORKFLOWS,
    },
    databasePoolSize: values.MES_DATABASE_POOL_SIZE,
    httpHost: values.MES_HTTP_HOST,
    httpPort: values.MES_HTTP_PORT,
    httpToken: values.MES_HTTP_TOKEN,
    httpMaxWaitMs: values.MES_HTTP_MAX_WAIT_SECONDS * 1000,
  };
}
