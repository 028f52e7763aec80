// Benchmark of `mes submit` on a large file: it checks that the command's memory does not grow with the file.
// It writes a batch of `--lines` lines: a share are real messages to a few activated patients, the rest invalid
// lines, which validation rejects as in a file with errors. It then runs `mes submit --json` against a separate
// `mes worker` and samples the submit process's resident memory as lines come out.
//
// Usage: npm run bench:submit -- [--lines 100000] [--valid-share 0.1] [--concurrency 16] [--json]
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { MesClient } from '../client/mes-client';
import { createLogger } from '../config/logger';
import { migrate } from '../store/migrate';
import { startMissingServices } from '../worker/missing-services';
import { installTemporalRuntime } from '../worker/temporal-runtime';
import { withWrongKey } from '../test/support/identities';
import { activatedPatient } from '../test/support/patients';
import { messageFor } from '../test/support/requests';
import { readProcessMetrics } from './support/process-metrics';
import { prepareBenchRun, runBenchmark } from './support/bench-keys';
import { startSmtpSink } from './support/smtp-sink';
import { startWorkerChild } from './support/worker-child';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '100000' },
    'valid-share': { type: 'string', default: '0.1' },
    concurrency: { type: 'string', default: '16' },
    json: { type: 'boolean', default: false },
  },
});
const lines = Number(values.lines);
const validShare = Number(values['valid-share']);

/** Writes the batch file: every 1/validShare-th line a real message, the others invalid ones. */
async function writeBatch(file: string, patients: string[]): Promise<number> {
  const output = createWriteStream(file);
  const validEvery = Math.max(1, Math.round(1 / validShare));
  let valid = 0;
  for (let index = 0; index < lines; index += 1) {
    const ins = patients[index % patients.length]!;
    const isValid = index % validEvery === 0;
    valid += isValid ? 1 : 0;
    const line = JSON.stringify(isValid ? messageFor(ins) : messageFor(withWrongKey(ins)));
    if (!output.write(line + '\n')) {
      await new Promise<void>((resolve) => output.once('drain', () => resolve()));
    }
  }
  await new Promise<void>((resolve, reject) => {
    output.once('error', reject);
    output.end(() => resolve());
  });
  return valid;
}

async function main(): Promise<void> {
  const logger = createLogger('warn', 'bench');
  installTemporalRuntime(logger, 'WARN');
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'mes-bench-submit-'));
  const services = await startMissingServices({ temporalAddress: process.env.TEMPORAL_ADDRESS, databaseUrl: process.env.DATABASE_URL }, workDir, logger);
  const pool = new Pool({ connectionString: services.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  const sink = await startSmtpSink();
  const taskQueue = `bench-submit-${randomUUID()}`;
  const run = await prepareBenchRun(services, sink.url, workDir);
  const env = run.processEnv(taskQueue);
  const connection = run.connection;
  const client = new MesClient({ client: run.temporal, taskQueue, pseudonymKey: run.pseudonymKey });
  const worker = await startWorkerChild('orchestrator', env);

  try {
    await migrate(pool);
    const patients: string[] = [];
    for (let index = 0; index < 20; index += 1) {
      patients.push((await activatedPatient(client)).ins);
    }
    const file = path.join(workDir, 'batch.jsonl');
    const valid = await writeBatch(file, patients);

    // `mes submit` loads TypeScript through tsx in its own process, so its pid is the one measured.
    const start = Date.now();
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'bin', 'mes.js'), 'submit', file, '--json', '--concurrency', values.concurrency!], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const samples: Array<{ lines: number; rssMiB: number }> = [];
    let done = 0;
    let peakRss = 0;
    const outcomes = new Map<string, number>();
    const sampler = setInterval(() => {
      try {
        const metrics = readProcessMetrics(child.pid!);
        peakRss = Math.max(peakRss, metrics.peakRssBytes);
        samples.push({ lines: done, rssMiB: Math.round(metrics.rssBytes / 1048576) });
      } catch {
        // The process has just exited.
      }
    }, 1_000);
    for await (const line of readline.createInterface({ input: child.stdout! })) {
      done += 1;
      const { outcome } = JSON.parse(line) as { outcome: string };
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (!values.json && done % 5_000 === 0) {
        process.stderr.write(`\r${done}/${lines} lines, RSS ${samples.at(-1)?.rssMiB ?? '?'} MiB`);
      }
    }
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
    clearInterval(sampler);
    const seconds = (Date.now() - start) / 1000;

    const at = (share: number) => samples.find((sample) => sample.lines >= lines * share)?.rssMiB ?? null;
    const report = {
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 1073741824)} GiB, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node.js ${process.version}`,
      date: new Date().toISOString(),
      lines,
      validLines: valid,
      concurrency: Number(values.concurrency),
      exitCode: code,
      outcomes: Object.fromEntries(outcomes),
      seconds: Math.round(seconds * 10) / 10,
      linesPerSecond: Math.round(lines / seconds),
      submitRssMiB: { atTenPercent: at(0.1), atHalf: at(0.5), atNinetyPercent: at(0.9), peak: Math.round(peakRss / 1048576) },
    };
    process.stdout.write((values.json ? JSON.stringify(report) : `\n${JSON.stringify(report, null, 2)}`) + '\n');
  } finally {
    await worker.stop();
    await connection.close();
    await sink.close();
    await pool.end();
    await services.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

runBenchmark(main);
