import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MesClient } from '../client/mes-client';
import { activatedPatient } from './support/patients';
import { documentFor, messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';
import { WorkerProcesses } from './support/worker-process';

let env: TestEnvironment;
let workers: WorkerProcesses;

beforeAll(async () => {
  env = await startTestEnvironment('scale-out');
  workers = new WorkerProcesses(env);
});

afterAll(async () => {
  workers?.stopAll();
  await env?.stop();
});

describe('two worker processes on one task queue', () => {
  it('share deliveries and lose none when one stops', { timeout: 180_000 }, async () => {
    const taskQueue = `scale-out-${randomUUID()}`;
    const client = new MesClient({ client: env.temporal, taskQueue, pseudonymKey: env.pseudonymKey });
    const patients: Array<{ ins: string; email: string }> = [];
    for (let index = 0; index < 4; index += 1) {
      patients.push(await activatedPatient(env.client));
    }
    const first = await workers.start(taskQueue);
    const second = await workers.start(taskQueue);

    const items = Array.from({ length: 60 }, (_, index) => {
      const { ins } = patients[index % patients.length]!;
      return index % 2 === 0 ? messageFor(ins) : documentFor(ins);
    });
    const answers = items.map((item) => (item.type === 'message' ? client.sendMessage(item) : client.feedDocument(item)));
    // Stop one worker the way an operator does, with SIGTERM, while deliveries are in flight.
    while (env.smtp.received.length < 15) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const stopped = new Promise<number | null>((resolve) => first.once('exit', resolve));
    first.kill('SIGTERM');
    expect(await stopped).toBe(0);

    for (const answer of await Promise.all(answers)) {
      expect(['delivered', 'stored']).toContain(answer.outcome);
    }
    const notifiedBy = new Set<string>();
    for (const item of items) {
      const result = item.type === 'message' ? await client.messageResult(item.id) : await client.documentResult(item.id);
      expect(result).toMatchObject({ notificationStatus: 'sent' });

      // The worker that sent the notice is named in the history by its identity (pid@host).
      const history = await env.temporal.workflow.getHandle(`${item.type}-${item.id}`).fetchHistory();
      for (const event of history.events ?? []) {
        const identity = event.activityTaskStartedEventAttributes?.identity;
        if (identity) {
          notifiedBy.add(identity);
        }
      }
    }
    expect(notifiedBy).toEqual(new Set([`${first.pid}@${os.hostname()}`, `${second.pid}@${os.hostname()}`]));

    const notices = env.smtp.received.filter((mail) => patients.some((patient) => mail.to.includes(patient.email)));
    expect(notices).toHaveLength(items.length);
    expect(new Set(notices.map((mail) => mail.messageId)).size).toBe(items.length);
  });
});
