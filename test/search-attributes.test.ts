import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientRefOf } from '../domain/patient-ref';
import { activatedPatient, patientIn } from './support/patients';
import { consultationFor, messageFor, newProfessional } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

let env: TestEnvironment;

beforeAll(async () => {
  env = await startTestEnvironment('search-attributes');
});

afterAll(async () => {
  await env?.stop();
});

/** Lists the workflow IDs a visibility query finds on this file's task queue, once at least `atLeast` show. */
async function idsOf(query: string, atLeast: number): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ids: string[] = [];
    for await (const execution of env.temporal.workflow.list({ query: `TaskQueue = '${env.taskQueue}' AND ${query}` })) {
      ids.push(execution.workflowId);
    }
    if (ids.length >= atLeast || Date.now() > deadline) {
      return ids.sort();
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('search attributes', () => {
  it('find runs by patient, outcome and notice status', async () => {
    const { ins } = await activatedPatient(env.client);
    const opposed = await patientIn(env.client, 'opposed');
    const delivered = messageFor(ins);
    const rejected = messageFor(opposed);
    await env.client.sendMessage(delivered);
    await env.client.messageResult(delivered.id);
    await expect(env.client.sendMessage(rejected)).rejects.toMatchObject({ code: 'PATIENT_OPPOSED' });

    const patientRef = patientRefOf(ins, env.pseudonymKey);
    expect(await idsOf(`MesPatientRef = '${patientRef}' AND WorkflowType = 'sendMessage'`, 1)).toEqual([`message-${delivered.id}`]);
    expect(await idsOf(`MesOutcome = 'rejected' AND MesErrorCode = 'PATIENT_OPPOSED'`, 1)).toEqual([`message-${rejected.id}`]);
    expect(await idsOf(`MesNotificationStatus = 'sent' AND MesNotificationChannel = 'personal-email'`, 1)).toEqual([`message-${delivered.id}`]);
  });

  it('settle a consultation notice', async () => {
    const { ins } = await activatedPatient(env.client);
    const consultation = consultationFor(ins, newProfessional());
    await env.client.consultDmp(consultation);
    expect(await env.client.consultationResult(consultation.id)).toMatchObject({ notificationStatus: 'sent' });

    expect(await idsOf(`WorkflowId = 'consultation-${consultation.id}' AND MesNotificationStatus = 'sent' AND MesOutcome = 'consulted'`, 1)).toEqual([
      `consultation-${consultation.id}`,
    ]);
  });

  it('give each run a summary without the INS', async () => {
    const { ins } = await activatedPatient(env.client);
    const message = messageFor(ins);
    await env.client.sendMessage(message);

    const description = await env.temporal.workflow.getHandle(`message-${message.id}`).describe();
    const summary = await description.staticSummary();
    expect(summary).toBe(`message · patient ${patientRefOf(ins, env.pseudonymKey)}`);
    expect(summary).not.toContain(ins);
  });
});
