// Benchmark of the yearly statement batch. It fills a fresh embedded PostgreSQL with eligible accounts that have
// activity, then runs the statement workflow on the embedded Temporal dev server with an in-process worker. It
// reports accounts per second and the process's peak memory, sampled along the run to show whether it grows.
//
// Usage: npm run bench:statement -- [--accounts 100000] [--page-size 500] [--chunk-size 50] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { createLogger } from '../config/logger';
import { createPdfLetterSender } from '../letters/pdf-letter-sender';
import { createOutboxSender } from '../mail/outbox-sender';
import { migrate } from '../store/migrate';
import { startEmbeddedPostgres } from '../worker/embedded-postgres';
import { createOrchestratorWorker } from '../worker/orchestrator-worker';
import { startTemporalDevServer } from '../worker/temporal-dev-server';
import { installTemporalRuntime } from '../worker/temporal-runtime';
import { progressQuery, type YearlyStatementProgress } from '../workflows/yearly-statement';
import { runBenchmark } from './support/bench-keys';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100000' },
    'page-size': { type: 'string', default: '500' },
    'chunk-size': { type: 'string', default: '50' },
    json: { type: 'boolean', default: false },
  },
});
const accounts = Number(values.accounts);
const year = 2026;

/** Inserts `count` created accounts without email, each with one message, one document and one first access in the year. */
async function seed(pool: Pool, count: number): Promise<void> {
  const batch = 10_000;
  for (let start = 0; start < count; start += batch) {
    const end = Math.min(count, start + batch);
    await pool.query(
      `INSERT INTO accounts (patient_ref, ins, status, snapshot)
       SELECT 'pt-bench-' || lpad(i::text, 8, '0'), 'bench-' || i, 'created',
              '{"status":"created","value":"created","context":{"amEmail":null,"personalEmail":null,"closureReason":null,"closedAt":null}}'
       FROM generate_series($1::int, $2::int - 1) AS i`,
      [start, end],
    );
    await pool.query(
      `INSERT INTO messages (id, patient_ref, sender_rpps, sender_name, subject, body, received_at)
       SELECT 'bench-msg-' || i, 'pt-bench-' || lpad(i::text, 8, '0'), '10000000000', 'Dr Banc', 'Objet', 'Texte',
              make_timestamptz(2026, 1 + i % 12, 10, 12, 0, 0, 'UTC')
       FROM generate_series($1::int, $2::int - 1) AS i`,
      [start, end],
    );
    await pool.query(
      `INSERT INTO documents (id, patient_ref, author_rpps, author_name, title, type_code, mime_type, content, size_bytes, stored_at, visible_to_patient_at)
       SELECT 'bench-doc-' || i, 'pt-bench-' || lpad(i::text, 8, '0'), '10000000000', 'Dr Banc', 'Titre', '11490-0', 'text/plain', 'x', 1,
              make_timestamptz(2026, 1 + (i + 5) % 12, 12, 12, 0, 0, 'UTC'), make_timestamptz(2026, 1 + (i + 5) % 12, 12, 12, 0, 0, 'UTC')
       FROM generate_series($1::int, $2::int - 1) AS i`,
      [start, end],
    );
  }
  await pool.query('ANALYZE');
}

async function main(): Promise<void> {
  const logger = createLogger('warn', 'bench');
  installTemporalRuntime(logger, 'WARN');
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'mes-bench-'));
  const temporal = await startTemporalDevServer({ namespace: 'default' }, logger);
  const postgres = await startEmbeddedPostgres(path.join(workDir, 'postgres'), logger);
  const pool = new Pool({ connectionString: postgres.databaseUrl, max: 10 });
  // pool.end() resolves before its sockets close, so stopping PostgreSQL right after raises idle-client errors;
  // without a listener they would crash the process before the Temporal dev server is stopped.
  pool.on('error', () => undefined);

  try {
    await migrate(pool);
    const seedStart = Date.now();
    await seed(pool, accounts);
    const seedSeconds = (Date.now() - seedStart) / 1000;

    const taskQueue = 'bench-statement';
    const { worker, connection: workerConnection } = await createOrchestratorWorker({
      temporalAddress: temporal.address,
      namespace: 'default',
      taskQueue,
      pool,
      mailSender: createOutboxSender(path.join(workDir, 'outbox')),
      mailFrom: 'bench@example.org',
      pseudonymKey: Buffer.alloc(32, 7),
      letterSender: createPdfLetterSender(path.join(workDir, 'letters')),
    });
    const running = worker.run();

    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace: 'default' });
    const samples: Array<{ accountsSeen: number; rssMiB: number }> = [];
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 200);

    const start = Date.now();
    const handle = await client.workflow.start('yearlyStatement', {
      workflowId: `bench-statement-${year}`,
      taskQueue,
      args: [{ year, pageSize: Number(values['page-size']), chunkSize: Number(values['chunk-size']) }],
    });
    let done = false;
    const result = (handle.result() as Promise<YearlyStatementProgress>).finally(() => {
      done = true;
    });
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const progress = await handle.query(progressQuery).catch(() => null);
      if (progress) {
        samples.push({ accountsSeen: progress.accountsSeen, rssMiB: Math.round(process.memoryUsage().rss / 1048576) });
        if (!values.json) {
          process.stderr.write(`\r${progress.accountsSeen}/${accounts} accounts, RSS ${samples.at(-1)!.rssMiB} MiB`);
        }
      }
    }
    const progress = await result;
    const seconds = (Date.now() - start) / 1000;
    clearInterval(sampler);

    worker.shutdown();
    await running;
    await workerConnection.close();
    await connection.close();

    const report = {
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 1073741824)} GiB, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node.js ${process.version}`,
      accounts,
      seedSeconds,
      lettersSent: progress.lettersSent,
      runs: progress.runs,
      seconds,
      accountsPerSecond: Math.round(accounts / seconds),
      peakRssMiB: Math.round(peakRss / 1048576),
      rssAlongTheRun: samples.filter((_, index) => index % Math.max(1, Math.floor(samples.length / 10)) === 0),
    };
    process.stdout.write((values.json ? JSON.stringify(report) : `\n${JSON.stringify(report, null, 2)}`) + '\n');
  } finally {
    await pool.end();
    await postgres.stop();
    await temporal.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

runBenchmark(main);
