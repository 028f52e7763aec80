import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientRefOf } from '../domain/patient-ref';
import type { YearlyStatementProgress } from '../workflows/yearly-statement';
import { generateIns } from './support/identities';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';
import { WorkerProcesses } from './support/worker-process';

/** A year no other test uses, so that this batch's statements are its own. */
const YEAR = 2031;

let env: TestEnvironment;
let workers: WorkerProcesses;

beforeAll(async () => {
  env = await startTestEnvironment('statement-worker-killed');
  workers = new WorkerProcesses(env);
});

afterAll(async () => {
  workers?.stopAll();
  await env?.stop();
});

async function statementsOf(refs: string[]): Promise<number> {
  const result = await env.pool.query('SELECT count(*)::int AS n FROM statements WHERE year = $1 AND patient_ref = ANY ($2)', [YEAR, refs]);
  return result.rows[0].n;
}

describe('yearly statement with a worker killed mid-batch', () => {
  it('completes on another worker with exactly one statement per account', async () => {
    const refs: string[] = [];
    for (let index = 0; index < 30; index += 1) {
      const ins = generateIns();
      await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
      refs.push(patientRefOf(ins, env.pseudonymKey));
    }
    const taskQueue = `killed-${randomUUID()}`;
    const first = await workers.start(taskQueue);

    const handle = await env.temporal.workflow.start('yearlyStatement', {
      workflowId: `statement-killed-${randomUUID()}`,
      taskQueue,
      args: [{ year: YEAR, pageSize: 10, chunkSize: 1, maxConcurrentChunks: 2, pagesPerRun: 2 }],
    });

    // Kill the worker as soon as some of these accounts have their statement, in the middle of the batch.
    const deadline = Date.now() + 60_000;
    while ((await statementsOf(refs)) < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.kill('SIGKILL');
    const atKill = await statementsOf(refs);
    expect(atKill).toBeLessThan(refs.length);

    await workers.start(taskQueue);
    const progress = (await handle.result()) as YearlyStatementProgress;

    expect(progress.done).toBe(true);
    expect(await statementsOf(refs)).toBe(refs.length);
    const traces = await env.pool.query(
      "SELECT patient_ref, count(*)::int AS n FROM audit_events WHERE action = 'statement.sent' AND subject_id = $1 AND patient_ref = ANY ($2) GROUP BY patient_ref",
      [String(YEAR), refs],
    );
    expect(traces.rows).toHaveLength(refs.length);
    for (const row of traces.rows) {
      expect(row.n).toBe(1);
    }
    const letters = readdirSync(path.join(workers.dataDir, 'letters', String(YEAR)));
    for (const ref of refs) {
      expect(letters).toContain(`statement-${YEAR}-${ref}.pdf`);
    }
  });
});
