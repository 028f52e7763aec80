import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MesClient } from '../client/mes-client';
import { AesGcmPayloadCodec } from '../codec/aes-gcm-codec';
import { parsePayloadKeys } from '../config/payload-keys';
import { activatedPatient } from './support/patients';
import { messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';
import { WorkerProcesses } from './support/worker-process';

let env: TestEnvironment;
let workers: WorkerProcesses;
let connection: Connection;

beforeAll(async () => {
  env = await startTestEnvironment('worker-killed-during-deliveries');
  workers = new WorkerProcesses(env);
  connection = await Connection.connect({ address: env.temporalAddress });
});

afterAll(async () => {
  workers?.stopAll();
  await connection?.close();
  await env?.stop();
});

describe('worker killed with SIGKILL during deliveries', () => {
  // A dead worker's tasks are retried after their start-to-close timeouts (10 s and 45 s), hence the long limit.
  it('loses no delivery after a SIGKILL', { timeout: 180_000 }, async () => {
    const taskQueue = `killed-deliveries-${randomUUID()}`;
    const { keys, currentKeyId } = parsePayloadKeys(env.payloadKeys);
    const temporal = new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [new AesGcmPayloadCodec(keys, currentKeyId)] } });
    const client = new MesClient({ client: temporal, taskQueue, pseudonymKey: env.pseudonymKey });

    // The patients are set up through the test's own worker; the deliveries go to the child workers' queue.
    const patients: Array<{ ins: string; email: string }> = [];
    for (let index = 0; index < 5; index += 1) {
      patients.push(await activatedPatient(env.client));
    }
    const first = await workers.start(taskQueue);

    const messages = Array.from({ length: 40 }, (_, index) => messageFor(patients[index % patients.length]!.ins));
    const answers = messages.map((message) => client.sendMessage(message));
    // Kill the worker while deliveries are in flight.
    while (env.smtp.received.length < 5) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.kill('SIGKILL');
    await workers.start(taskQueue);

    for (const answer of await Promise.all(answers)) {
      expect(answer.outcome).toBe('delivered');
    }
    for (const message of messages) {
      expect(await client.messageResult(message.id)).toMatchObject({ notificationStatus: 'sent' });
    }

    const stored = await env.pool.query('SELECT count(*)::int AS n FROM messages WHERE id = ANY ($1)', [messages.map((message) => message.id)]);
    expect(stored.rows[0].n).toBe(messages.length);
    const traces = await env.pool.query(
      "SELECT subject_id, count(*)::int AS n FROM audit_events WHERE action = 'message.received' AND subject_id = ANY ($1) GROUP BY subject_id",
      [messages.map((message) => message.id)],
    );
    expect(traces.rows).toHaveLength(messages.length);
    expect(traces.rows.every((row) => row.n === 1)).toBe(true);

    // Each message has exactly one notice Message-ID. NOTE: a worker killed after the SMTP server accepted a
    // notice and before its record is updated resends it with the same Message-ID (delivery is at least once, as
    // the README documents); receivers drop such copies by Message-ID, so copies are allowed here but not new IDs.
    const notices = env.smtp.received.filter((mail) => patients.some((patient) => mail.to.includes(patient.email)));
    const uniqueIds = new Set(notices.map((mail) => mail.messageId));
    expect(uniqueIds.size).toBe(messages.length);
    expect(notices.length).toBeGreaterThanOrEqual(messages.length);
  });
});
