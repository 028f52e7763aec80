// Benchmark of deliveries side by side with bare Temporal. In one run and with the same worker settings it
// measures, each on a worker process of its own:
//   1. the baseline: a workflow with one no-op activity, the most a Temporal worker does here;
//   2. the real mix: messages and documents over the account statuses of the reference table, notices going to
//      an SMTP server on 127.0.0.1, as many in flight as `--concurrency`;
//   3. the same mix paced at half the throughput of (2), for the latency at a normal load.
// It prints a table, or one JSON object with `--json`.
//
// It also reads PostgreSQL's statistics for the database time of each delivery, and with `--profile` writes a
// CPU profile of the delivery worker and lists where its time goes.
//
// Usage: npm run bench -- [--baseline 2000] [--deliveries 2000] [--paced 1000] [--concurrency 64] [--profile] [--json]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { MesClient } from '../client/mes-client';
import { MesRejectionError } from '../client/rejection-error';
import { createLogger } from '../config/logger';
import type { DocumentRequest } from '../contracts/document-request';
import type { MessageRequest } from '../contracts/message-request';
import { migrate } from '../store/migrate';
import { startMissingServices } from '../worker/missing-services';
import { installTemporalRuntime } from '../worker/temporal-runtime';
import { workflowIds } from '../workflows/workflow-ids';
import { generateIns } from '../test/support/identities';
import { accountEventsToReach } from '../test/support/patients';
import { documentFor, messageFor } from '../test/support/requests';
import { summarizeCpuProfile } from './support/cpu-profile-summary';
import { percentile } from './support/percentile';
import { readProcessMetrics, type ProcessMetrics } from './support/process-metrics';
import { prepareBenchRun, runBenchmark } from './support/bench-keys';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { startWorkerChild, type WorkerChild } from './support/worker-child';

const { values } = parseArgs({
  options: {
    baseline: { type: 'string', default: '2000' },
    deliveries: { type: 'string', default: '2000' },
    paced: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
    patients: { type: 'string', default: '100' },
    profile: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const sizes = {
  baseline: Number(values.baseline),
  deliveries: Number(values.deliveries),
  paced: Number(values.paced),
  concurrency: Number(values.concurrency),
  patients: Number(values.patients),
};

/** Account statuses of a day's items. Estimates: nearly every item goes to a created or an activated account. */
const STATUS_MIX = [
  { status: 'activated', share: 0.45 },
  { status: 'created-am', share: 0.4 },
  { status: 'created-none', share: 0.05 },
  { status: 'opposed', share: 0.05 },
  { status: 'closed', share: 0.05 },
] as const;
type BenchStatus = (typeof STATUS_MIX)[number]['status'];

/** Share of documents among items: DMP documents far outnumber messages. */
const DOCUMENT_SHARE = 0.7;

/**
 * Time for PostgreSQL's statistics to include every connection's work: an idle backend reports its counters
 * after at most 10 s (PGSTAT_IDLE_INTERVAL in PostgreSQL's source).
 */
const STATISTICS_DELAY_MS = 11_000;

/** Counters of the database: committed transactions and time spent running statements. */
async function databaseCounters(pool: Pool): Promise<{ transactions: number; activeMs: number }> {
  const result = await pool.query<{ xact_commit: string; active_time: number }>(
    'SELECT xact_commit, active_time FROM pg_stat_database WHERE datname = current_database()',
  );
  return { transactions: Number(result.rows[0]!.xact_commit), activeMs: Number(result.rows[0]!.active_time) };
}

/** Items run before each measure, so that bundles, caches and connections are warm. */
const WARM_UP = 50;

/** Runs `task` for indexes 0 to count - 1 with at most `lanes` running at once. */
async function runClosedLoop(count: number, lanes: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, count) }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await task(index);
      }
    }),
  );
}

/** Starts task(index) at `ratePerSecond`, whatever the number in flight, and waits for all of them. */
async function runPaced(count: number, ratePerSecond: number, task: (index: number) => Promise<void>): Promise<void> {
  const start = Date.now();
  const running: Array<Promise<void>> = [];
  for (let index = 0; index < count; index += 1) {
    const due = start + (index * 1000) / ratePerSecond;
    const wait = due - Date.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    running.push(task(index));
  }
  await Promise.all(running);
}

/** Picks the status of item `index`, spreading the shares of STATUS_MIX evenly over the run. */
function statusAt(index: number): BenchStatus {
  const position = (index * 0.618_034) % 1;
  let cumulated = 0;
  for (const { status, share } of STATUS_MIX) {
    cumulated += share;
    if (position < cumulated) {
      return status;
    }
  }
  return STATUS_MIX[0].status;
}

/** One item of the mix, its submission time and how it ended. */
interface Delivery {
  request: MessageRequest | DocumentRequest;
  submittedAt: number;
  outcome: 'accepted' | 'rejected';
}

/** Submits an item and waits until its workflow has ended: notice settled, or rejection. */
async function deliver(client: MesClient, request: MessageRequest | DocumentRequest): Promise<Delivery> {
  const submittedAt = Date.now();
  try {
    if (request.type === 'message') {
      await client.sendMessage(request);
      await client.messageResult(request.id);
    } else {
      await client.feedDocument(request);
      await client.documentResult(request.id);
    }
    return { request, submittedAt, outcome: 'accepted' };
  } catch (error) {
    if (error instanceof MesRejectionError) {
      return { request, submittedAt, outcome: 'rejected' };
    }
    throw error;
  }
}

/** Latencies, in ms, from submission to the SMTP server accepting the item's notice, for the emailed items. */
async function emailLatencies(pool: Pool, sink: SmtpSink, deliveries: Delivery[]): Promise<number[]> {
  const submitted = new Map(deliveries.map((delivery) => [delivery.request.id, delivery.submittedAt]));
  const rows = await pool.query<{ subject_id: string; smtp_message_id: string }>(
    "SELECT subject_id, smtp_message_id FROM notifications WHERE subject_id = ANY ($1) AND status = 'sent'",
    [[...submitted.keys()]],
  );
  const latencies: number[] = [];
  for (const row of rows.rows) {
    const acceptedAt = sink.acceptedAt.get(row.smtp_message_id);
    if (acceptedAt !== undefined) {
      latencies.push(acceptedAt - submitted.get(row.subject_id)!);
    }
  }
  return latencies.sort((a, b) => a - b);
}

/** Mean and maximum number of history events of the given workflows. */
async function historyEvents(temporal: Client, workflowIdsToRead: string[]): Promise<{ mean: number; max: number; runs: number }> {
  const counts: number[] = [];
  for (const workflowId of workflowIdsToRead) {
    const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
    counts.push(history.events?.length ?? 0);
  }
  const total = counts.reduce((sum, count) => sum + count, 0);
  return { mean: counts.length ? Math.round((total / counts.length) * 10) / 10 : Number.NaN, max: Math.max(...counts), runs: counts.length };
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const mebibytes = (bytes: number) => Math.round(bytes / 1048576);

async function main(): Promise<void> {
  const logger = createLogger('warn', 'bench');
  installTemporalRuntime(logger, 'WARN');
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'mes-bench-'));
  const services = await startMissingServices({ temporalAddress: process.env.TEMPORAL_ADDRESS, databaseUrl: process.env.DATABASE_URL }, workDir, logger);
  const pool = new Pool({ connectionString: services.databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  const sink = await startSmtpSink();
  const children: WorkerChild[] = [];

  const run = await prepareBenchRun(services, sink.url, workDir);
  const { pseudonymKey, connection, temporal } = run;
  const workerEnv = run.processEnv;
  const say = (text: string) => {
    if (!values.json) {
      process.stderr.write(`${text}\n`);
    }
  };

  try {
    await migrate(pool);

    // 1. Baseline.
    const baselineQueue = `bench-baseline-${randomUUID()}`;
    const baselineWorker = await startWorkerChild('baseline', workerEnv(baselineQueue));
    children.push(baselineWorker);
    const runBaseline = async (index: number, prefix: string) => {
      await temporal.workflow.execute('baselineDelivery', {
        taskQueue: baselineQueue,
        workflowId: `bench-baseline-${prefix}-${index}`,
        args: [{ id: `${prefix}-${index}` }],
      });
    };
    await runClosedLoop(WARM_UP, sizes.concurrency, (index) => runBaseline(index, 'warm'));
    say(`baseline: ${sizes.baseline} workflows, ${sizes.concurrency} in flight`);
    const baselineBefore = readProcessMetrics(baselineWorker.pid);
    const baselineStart = Date.now();
    await runClosedLoop(sizes.baseline, sizes.concurrency, (index) => runBaseline(index, 'run'));
    const baselineSeconds = (Date.now() - baselineStart) / 1000;
    const baselineAfter = readProcessMetrics(baselineWorker.pid);
    const baselineEvents = await historyEvents(temporal, Array.from({ length: 20 }, (_, index) => `bench-baseline-run-${index}`));
    await baselineWorker.stop();

    // 2. The real mix, as many in flight as the baseline.
    const taskQueue = `bench-deliveries-${randomUUID()}`;
    const profileDir = path.join(workDir, 'profile');
    const worker = await startWorkerChild('orchestrator', workerEnv(taskQueue), values.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
    children.push(worker);
    const client = new MesClient({ client: temporal, taskQueue, pseudonymKey });

    say(`patients: ${sizes.patients} in the statuses of the mix`);
    const patients = new Map<BenchStatus, string[]>(STATUS_MIX.map(({ status }) => [status, []]));
    await runClosedLoop(sizes.patients, 16, async (index) => {
      // Every status gets at least one patient, the rest follow the shares.
      const status = index < STATUS_MIX.length ? STATUS_MIX[index]!.status : statusAt(index);
      const ins = generateIns();
      for (const event of accountEventsToReach(status, ins)) {
        await client.applyAccountEvent(event);
      }
      patients.get(status)!.push(ins);
    });
    const itemAt = (index: number): MessageRequest | DocumentRequest => {
      const group = patients.get(statusAt(index))!;
      const ins = group[index % group.length]!;
      // The golden-ratio spread of statuses is reused, shifted, for the item type.
      return (index * 0.381_966 + 0.5) % 1 < DOCUMENT_SHARE ? documentFor(ins) : messageFor(ins);
    };

    await runClosedLoop(WARM_UP, sizes.concurrency, async (index) => {
      await deliver(client, itemAt(index));
    });
    await new Promise((resolve) => setTimeout(resolve, STATISTICS_DELAY_MS));
    const databaseBefore = await databaseCounters(pool);
    say(`mix: ${sizes.deliveries} deliveries, ${sizes.concurrency} in flight`);
    const mixed: Delivery[] = [];
    const rssAlong: Array<{ deliveries: number; rssMiB: number }> = [];
    const mixBefore = readProcessMetrics(worker.pid);
    const mixStart = Date.now();
    await runClosedLoop(sizes.deliveries, sizes.concurrency, async (index) => {
      mixed.push(await deliver(client, itemAt(index)));
      if (mixed.length % 1000 === 0) {
        rssAlong.push({ deliveries: mixed.length, rssMiB: mebibytes(readProcessMetrics(worker.pid).rssBytes) });
      }
    });
    const mixSeconds = (Date.now() - mixStart) / 1000;
    const mixAfter: ProcessMetrics = readProcessMetrics(worker.pid);
    const mixLatencies = await emailLatencies(pool, sink, mixed);

    // 3. The mix at half its throughput, for latency at a normal load.
    const mixThroughput = sizes.deliveries / mixSeconds;
    const pacedRate = mixThroughput / 2;
    say(`paced: ${sizes.paced} deliveries at ${round(pacedRate)} per second`);
    const paced: Delivery[] = [];
    await runPaced(sizes.paced, pacedRate, async (index) => {
      paced.push(await deliver(client, itemAt(sizes.deliveries + index)));
    });
    const pacedLatencies = await emailLatencies(pool, sink, paced);
    const workerAtEnd = readProcessMetrics(worker.pid);
    await new Promise((resolve) => setTimeout(resolve, STATISTICS_DELAY_MS));
    // The benchmark's own queries since the first reading are a handful, against thousands of the worker's.
    const databaseAfter = await databaseCounters(pool);
    const measuredDeliveries = sizes.deliveries + sizes.paced;

    // History events of delivered items with an email, and of rejected items.
    const emailed = await pool.query<{ subject_id: string; subject_kind: string }>(
      "SELECT subject_id, subject_kind FROM notifications WHERE subject_id = ANY ($1) AND status = 'sent' LIMIT 20",
      [mixed.map((delivery) => delivery.request.id)],
    );
    const idOf = (kind: string, id: string) => (kind === 'message' ? workflowIds.message(id) : workflowIds.document(id));
    const deliveredEvents = await historyEvents(temporal, emailed.rows.map((row) => idOf(row.subject_kind, row.subject_id)));
    const rejectedEvents = await historyEvents(
      temporal,
      mixed.filter((delivery) => delivery.outcome === 'rejected').slice(0, 20).map((delivery) => idOf(delivery.request.type, delivery.request.id)),
    );
    await worker.stop();
    const profile = values.profile ? summarizeCpuProfile(path.join(profileDir, readdirSync(profileDir)[0]!)) : null;

    const baselineThroughput = sizes.baseline / baselineSeconds;
    const accepted = mixed.filter((delivery) => delivery.outcome === 'accepted').length;
    const latency = (sorted: number[]) => ({ p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), emails: sorted.length });
    const report = {
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 1073741824)} GiB, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node.js ${process.version}`,
      date: new Date().toISOString(),
      settings: { ...sizes, warmUp: WARM_UP },
      baseline: {
        workflows: sizes.baseline,
        seconds: round(baselineSeconds),
        throughputPerSecond: round(baselineThroughput),
        workerCpuSecondsPer1000: round(((baselineAfter.cpuSeconds - baselineBefore.cpuSeconds) / sizes.baseline) * 1000, 2),
        workerPeakRssMiB: mebibytes(baselineAfter.peakRssBytes),
        historyEvents: baselineEvents.mean,
      },
      mix: {
        deliveries: sizes.deliveries,
        accepted,
        rejected: sizes.deliveries - accepted,
        seconds: round(mixSeconds),
        throughputPerSecond: round(mixThroughput),
        ratioToBaseline: round(mixThroughput / baselineThroughput, 2),
        latencyMs: latency(mixLatencies),
        workerCpuSecondsPer1000: round(((mixAfter.cpuSeconds - mixBefore.cpuSeconds) / sizes.deliveries) * 1000, 2),
        workerPeakRssMiB: mebibytes(workerAtEnd.peakRssBytes),
        workerRssAlongTheRun: rssAlong,
        historyEventsPerDelivered: deliveredEvents,
        historyEventsPerRejected: rejectedEvents,
      },
      paced: {
        deliveries: sizes.paced,
        ratePerSecond: round(pacedRate),
        latencyMs: latency(pacedLatencies),
      },
      database: {
        transactionsPerDelivery: round((databaseAfter.transactions - databaseBefore.transactions) / measuredDeliveries),
        statementMsPerDelivery: round((databaseAfter.activeMs - databaseBefore.activeMs) / measuredDeliveries, 2),
      },
      ...(profile ? { workerProfile: profile } : {}),
      emailsAccepted: sink.accepted(),
      emailsDistinct: sink.acceptedAt.size,
    };

    if (values.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      printTable(report);
    }
  } finally {
    for (const child of children) {
      await child.stop();
    }
    await connection.close();
    await sink.close();
    await pool.end();
    await services.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function printTable(report: {
  machine: string;
  baseline: { throughputPerSecond: number; workerCpuSecondsPer1000: number; workerPeakRssMiB: number; historyEvents: number };
  mix: {
    throughputPerSecond: number;
    ratioToBaseline: number;
    latencyMs: { p50: number; p95: number; p99: number };
    workerCpuSecondsPer1000: number;
    workerPeakRssMiB: number;
    historyEventsPerDelivered: { mean: number; max: number };
    historyEventsPerRejected: { mean: number; max: number };
  };
  paced: { ratePerSecond: number; latencyMs: { p50: number; p95: number; p99: number } };
  database: { transactionsPerDelivery: number; statementMsPerDelivery: number };
  workerProfile?: Array<{ part: string; sharePercent: number }>;
}): void {
  const rows: Array<[string, string, string]> = [
    ['throughput (per second)', String(report.baseline.throughputPerSecond), String(report.mix.throughputPerSecond)],
    ['ratio to the baseline', '1', String(report.mix.ratioToBaseline)],
    ['latency to SMTP p50 / p95 / p99 (ms), full load', '', `${report.mix.latencyMs.p50} / ${report.mix.latencyMs.p95} / ${report.mix.latencyMs.p99}`],
    [
      `latency to SMTP p50 / p95 / p99 (ms), ${report.paced.ratePerSecond}/s`,
      '',
      `${report.paced.latencyMs.p50} / ${report.paced.latencyMs.p95} / ${report.paced.latencyMs.p99}`,
    ],
    ['history events, delivered with email (mean / max)', String(report.baseline.historyEvents), `${report.mix.historyEventsPerDelivered.mean} / ${report.mix.historyEventsPerDelivered.max}`],
    ['history events, rejected (mean / max)', '', `${report.mix.historyEventsPerRejected.mean} / ${report.mix.historyEventsPerRejected.max}`],
    ['worker CPU seconds per 1,000', String(report.baseline.workerCpuSecondsPer1000), String(report.mix.workerCpuSecondsPer1000)],
    ['worker peak RSS (MiB)', String(report.baseline.workerPeakRssMiB), String(report.mix.workerPeakRssMiB)],
    ['database transactions per delivery', '', String(report.database.transactionsPerDelivery)],
    ['database statement time per delivery (ms)', '', String(report.database.statementMsPerDelivery)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(`${report.machine}\n\n${'figure'.padEnd(width)}  ${'baseline'.padStart(10)}  ${'mix'.padStart(16)}\n`);
  for (const [label, baseline, mix] of rows) {
    process.stdout.write(`${label.padEnd(width)}  ${baseline.padStart(10)}  ${mix.padStart(16)}\n`);
  }
  if (report.workerProfile) {
    process.stdout.write('\nDelivery worker CPU by part (self time, idle left out):\n');
    for (const { part, sharePercent } of report.workerProfile) {
      process.stdout.write(`  ${String(sharePercent).padStart(5)} %  ${part}\n`);
    }
  }
}

runBenchmark(main);
