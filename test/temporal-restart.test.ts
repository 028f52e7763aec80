import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../config/logger';
import { findFreePort } from '../worker/embedded-postgres';
import { startTemporalDevServer, type RunningDevServer } from '../worker/temporal-dev-server';
import { activatedPatient } from './support/patients';
import { messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

const logger = createLogger('warn', 'temporal-restart-test');
let workDir: string;
let dbFile: string;
let port: number;
let server: RunningDevServer | null = null;
let env: TestEnvironment;

/** Starts this file's own dev server on its fixed port, on the SQLite file that outlives each run of it. */
async function startServer(): Promise<RunningDevServer> {
  return startTemporalDevServer({ namespace: 'default', dbFile, port }, logger);
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'mes-temporal-restart-'));
  dbFile = path.join(workDir, 'temporal.sqlite');
  port = await findFreePort();
  server = await startServer();
  env = await startTestEnvironment('temporal-restart', { temporalAddress: server.address });
});

afterAll(async () => {
  await env?.stop();
  await server?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('Temporal server restarted during a run', () => {
  // The worker and the client reconnect on their own; retried emails wait for their backoff, hence the limit.
  it('completes every submitted delivery after the restart, each notice sent once', { timeout: 180_000 }, async () => {
    const patients: Array<{ ins: string; email: string }> = [];
    for (let index = 0; index < 4; index += 1) {
      patients.push(await activatedPatient(env.client));
    }

    // The relay defers the first notices, so that their workflows are waiting on a retry when the server stops.
    env.smtp.failNext({ code: 451, message: 'Try again later', times: 10 });
    const messages = Array.from({ length: 24 }, (_, index) => messageFor(patients[index % patients.length]!.ins));
    const answers = messages.map((message) => env.client.sendMessage(message));
    while (env.smtp.refusals.length < 5) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    await server!.stop();
    server = null;
    // Work submitted while the server is down waits in the client's retries.
    const lateMessages = [messageFor(patients[0]!.ins), messageFor(patients[1]!.ins)];
    const lateAnswers = lateMessages.map((message) => env.client.sendMessage(message));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    server = await startServer();

    for (const answer of await Promise.all([...answers, ...lateAnswers])) {
      expect(answer.outcome).toBe('delivered');
    }
    const all = [...messages, ...lateMessages];
    for (const message of all) {
      expect(await env.client.messageResult(message.id)).toMatchObject({ notificationStatus: 'sent', finalChannel: 'personal-email' });
    }

    const stored = await env.pool.query('SELECT count(*)::int AS n FROM messages WHERE id = ANY ($1)', [all.map((message) => message.id)]);
    expect(stored.rows[0].n).toBe(all.length);
    const notices = env.smtp.received.filter((mail) => patients.some((patient) => mail.to.includes(patient.email)));
    expect(notices).toHaveLength(all.length);
    expect(new Set(notices.map((mail) => mail.messageId)).size).toBe(all.length);
  });
});
