import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../config/logger';
import { migrate } from '../store/migrate';
import { findFreePort, startEmbeddedPostgres, type RunningPostgres } from '../worker/embedded-postgres';
import { activatedPatient } from './support/patients';
import { countStoredItems, documentFor, messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

const logger = createLogger('warn', 'postgres-restart-test');
let workDir: string;
let port: number;
let postgres: RunningPostgres | null = null;
let env: TestEnvironment;

/** Starts this file's own PostgreSQL on its fixed port and data folder, so that a restart finds its data. */
async function startPostgres(): Promise<RunningPostgres> {
  return startEmbeddedPostgres(path.join(workDir, 'postgres'), logger, port);
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'mes-postgres-restart-'));
  port = await findFreePort();
  postgres = await startPostgres();
  const pool = new Pool({ connectionString: postgres.databaseUrl });
  await migrate(pool);
  await pool.end();
  env = await startTestEnvironment('postgres-restart', { databaseUrl: postgres.databaseUrl });
});

afterAll(async () => {
  await env?.stop();
  await postgres?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('PostgreSQL restarted during a run', () => {
  // Store activities retry with a backoff that reaches 8 s while the database is down, hence the limit.
  it('completes every submitted item after the restart, each stored and notified once', { timeout: 180_000 }, async () => {
    const patients: Array<{ ins: string; email: string }> = [];
    for (let index = 0; index < 4; index += 1) {
      patients.push(await activatedPatient(env.client));
    }

    const items = Array.from({ length: 30 }, (_, index) => {
      const { ins } = patients[index % patients.length]!;
      return index % 2 === 0 ? messageFor(ins) : documentFor(ins);
    });
    const answers = items.map((item) => (item.type === 'message' ? env.client.sendMessage(item) : env.client.feedDocument(item)));
    // Stop the database once part of the work has reached the relay, so that the rest is cut off mid-way.
    while (env.smtp.received.length < 3) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await postgres!.stop();
    postgres = null;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    postgres = await startPostgres();

    for (const answer of await Promise.all(answers)) {
      expect(['delivered', 'stored']).toContain(answer.outcome);
    }
    for (const item of items) {
      const result = item.type === 'message' ? await env.client.messageResult(item.id) : await env.client.documentResult(item.id);
      expect(result).toMatchObject({ notificationStatus: 'sent', finalChannel: 'personal-email' });
    }

    const ids = items.map((item) => item.id);
    expect(await countStoredItems(env.pool, ids)).toBe(items.length);
    const traces = await env.pool.query(
      "SELECT count(*)::int AS n, count(DISTINCT subject_id)::int AS distinct_items FROM audit_events WHERE action IN ('message.received', 'document.fed') AND subject_id = ANY ($1)",
      [ids],
    );
    expect(traces.rows[0]).toEqual({ n: items.length, distinct_items: items.length });

    const notices = env.smtp.received.filter((mail) => patients.some((patient) => mail.to.includes(patient.email)));
    expect(new Set(notices.map((mail) => mail.messageId)).size).toBe(items.length);
    expect(notices).toHaveLength(items.length);
  });
});
