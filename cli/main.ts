import { parseArgs } from 'node:util';
import { createLogger } from '../config/logger';
import { loadSettings } from '../config/settings';
import { DEFAULT_CONCURRENCY } from './batch-runner';
import { apiCommand } from './commands/api';
import { demoCommand } from './commands/demo';
import { devCommand } from './commands/dev';
import { historyCommand } from './commands/history';
import { patientRefCommand } from './commands/patient-ref';
import { exportMachinesCommand } from './commands/machines';
import { exportSchemasCommand } from './commands/schemas';
import { statementRunCommand } from './commands/statement';
import { workerCommand } from './commands/worker';
import { installShutdownSignalHandlers } from '../worker/process-shutdown';
import { installTemporalRuntime } from '../worker/temporal-runtime';
import { submitCommand } from './commands/submit';

const HELP = `mes: the Mon espace santé delivery orchestrator

Usage:
  mes dev                         Start Temporal with its Web UI, PostgreSQL, a worker and the HTTP API;
                                  run until Ctrl+C
  mes worker                      Run one worker against TEMPORAL_ADDRESS and DATABASE_URL; run until Ctrl+C
  mes api                         Serve the HTTP API against TEMPORAL_ADDRESS and DATABASE_URL; run until Ctrl+C
  mes submit FILE.jsonl [--json] [--run-worker] [--concurrency N]
                                  Submit a batch, one JSON object per line; print one outcome per line
  mes history INS [--json]        Print the holder's history, newest first (activated accounts only);
                                  exit 1 when there is none to show, 2 for an invalid INS
  mes demo                        Run examples/demo.jsonl, which covers every cell of the reference table
  mes patient-ref INS             Print the patient's pseudonymous reference, to search runs in the Web UI
  mes schemas export              Write the JSON Schemas of the contracts and the HTTP API's OpenAPI document
                                  (openapi.json) into schemas/
  mes machines export             Write the state charts (Mermaid) and the Stately JSON into docs/
  mes statement run --year YYYY   Send the yearly activity statements of that year, with a progress bar

Options:
  --json             One JSON object per line on stdout instead of a table
  --run-worker       With TEMPORAL_ADDRESS set, also run a worker in this process for the batch
  --concurrency N    Lines in flight at once (default ${DEFAULT_CONCURRENCY}); lines of one INS run in file order
  -h, --help         Show this help

Settings (environment):
  TEMPORAL_ADDRESS   Temporal frontend host:port; unset, the Temporal CLI dev server is started
  TEMPORAL_NAMESPACE Temporal namespace (default: default)
  TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE
                     The rest of the Temporal connection, read by Temporal's environment configuration
  DATABASE_URL       PostgreSQL URL; unset, an embedded PostgreSQL is started with data in MES_DATA_DIR
  SMTP_URL           SMTP relay URL; unset, emails are written as .eml files in MES_DATA_DIR/outbox
  MES_DATA_DIR       Folder of the embedded services' data, the outbox and the keys (default: ./var)
  MES_PSEUDONYM_KEY  64 hex characters; the key of the patient pseudonyms (default: a key file in MES_DATA_DIR)
  MES_TASK_QUEUE     Task queue of the worker and the clients (default: mon-espace-sante)
  MES_MAIL_FROM      Sender of the notification emails
  MES_TOOLS_DIR      Cache of the Temporal CLI build (default: ~/.cache/mon-espace-sante/tools)
  MES_INVISIBLE_PATIENT_NOTICE_AFTER_SECONDS   Delay before an INVISIBLE_PATIENT document's update notice (default: 14 days)
  MES_INVISIBLE_PATIENT_VISIBLE_AFTER_SECONDS  Delay before such a document becomes visible (default: 30 days)
  MES_PAYLOAD_KEYS   Payload encryption keys, id:<64 hex> separated by commas, current first (default: a key file)
  MES_CODEC_SERVER_PORT  Port of the codec server mes dev starts for the Web UI (default: 8234)
  MES_LOG_LEVEL      trace, debug, info, warn or error (default: info); logs go to stderr
  MES_TEMPORAL_PORT  Port of the embedded dev server's frontend (default: 7233)
  MES_TEMPORAL_UI_PORT  Port of the embedded dev server's Web UI, mes dev only (default: 8233)
  MES_WORKER_MAX_ACTIVITIES, MES_WORKER_MAX_WORKFLOW_TASKS, MES_WORKER_MAX_CACHED_WORKFLOWS
                     Worker concurrency and cache limits (default: the Temporal SDK's)
  MES_DATABASE_POOL_SIZE  Connections a worker keeps to PostgreSQL (default: 10)
  MES_HTTP_HOST      Address the HTTP API listens on (default: 127.0.0.1); another needs MES_HTTP_TOKEN
  MES_HTTP_PORT      Port of the HTTP API of mes dev and mes api (default: 8235)
  MES_HTTP_TOKEN     Bearer token every HTTP API request but GET /openapi.json must carry, 16 characters or
                     more (default: none, no token asked)
  MES_HTTP_MAX_WAIT_SECONDS  Longest wait of a ?wait=true request for the final outcome, in seconds, before it
                     gets a 202 (default: 30)
  TEMPORAL_CLI_PATH  Temporal CLI binary to run the dev server with
`;

/** Entry point of the `mes` command. Returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'run-worker': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      year: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }

  const settings = loadSettings();
  const logger = createLogger(settings.logLevel);
  installTemporalRuntime(logger, settings.logLevel === 'trace' || settings.logLevel === 'debug' ? 'DEBUG' : 'WARN');
  // `mes dev`, `mes worker` and `mes api` run until they are interrupted, so a signal is their normal end; for
  // other commands it is an abort.
  installShutdownSignalHandlers(logger, command === 'dev' || command === 'worker' || command === 'api' ? 0 : undefined);

  switch (command) {
    case 'dev':
      await devCommand(settings, logger);
      return 0;
    case 'worker':
      await workerCommand(settings, logger);
      return 0;
    case 'api':
      await apiCommand(settings, logger);
      return 0;
    case 'submit': {
      const file = rest[0];
      if (!file) {
        process.stderr.write('mes submit: missing FILE.jsonl\n');
        return 2;
      }
      const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        process.stderr.write(`mes submit: --concurrency must be a positive integer, got ${values.concurrency}\n`);
        return 2;
      }
      await submitCommand(settings, logger, { file, json: values.json, runWorker: values['run-worker'], concurrency });
      return 0;
    }
    case 'history': {
      const ins = rest[0];
      if (!ins) {
        process.stderr.write('mes history: missing INS\n');
        return 2;
      }
      return historyCommand(settings, logger, ins, values.json);
    }
    case 'demo':
      await demoCommand(settings, logger);
      return 0;
    case 'patient-ref': {
      const ins = rest[0];
      if (!ins) {
        process.stderr.write('mes patient-ref: missing INS\n');
        return 2;
      }
      return patientRefCommand(settings, ins);
    }
    case 'statement': {
      const year = Number(values.year);
      if (rest[0] !== 'run' || !Number.isInteger(year) || year < 2000 || year > 2100) {
        process.stderr.write('mes statement: usage is "mes statement run --year YYYY"\n');
        return 2;
      }
      return statementRunCommand(settings, logger, year);
    }
    case 'machines':
      if (rest[0] !== 'export') {
        process.stderr.write('mes machines: the only subcommand is "export"\n');
        return 2;
      }
      exportMachinesCommand();
      return 0;
    case 'schemas':
      if (rest[0] !== 'export') {
        process.stderr.write('mes schemas: the only subcommand is "export"\n');
        return 2;
      }
      exportSchemasCommand();
      return 0;
    default:
      process.stderr.write(`mes: unknown command "${command}"; run mes --help\n`);
      return 2;
  }
}

// The Temporal runtime keeps native handles open after its connections close, so the process exits explicitly
// once the command has finished and stopped everything it started.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`mes: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
