import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientRefOf } from '../domain/patient-ref';
import { REJECTION_MESSAGES } from '../domain/rejections';
import { WorkflowNotFoundError } from '@temporalio/client';
import { withWrongKey } from './support/identities';
import { patientIn as patientInStatus, REJECTED_DELIVERIES, type TestPatientStatus } from './support/patients';
import { documentFor, HEALTH_CONTENT, messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

let env: TestEnvironment;

beforeAll(async () => {
  env = await startTestEnvironment('reference-table');
});

afterAll(async () => {
  await env?.stop();
});

/** Brings a new patient to a status through real account events, and returns the INS. */
function patientIn(status: TestPatientStatus): Promise<string> {
  return patientInStatus(env.client, status);
}

async function count(table: 'messages' | 'documents' | 'notifications', id: string): Promise<number> {
  const column = table === 'notifications' ? 'subject_id' : 'id';
  const result = await env.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [id]);
  return result.rows[0].n as number;
}

async function auditOf(subjectId: string) {
  const result = await env.pool.query(
    'SELECT action, outcome, error_code, visible_to_patient, actor_type, actor_id FROM audit_events WHERE subject_id = $1 ORDER BY id',
    [subjectId],
  );
  return result.rows;
}

function mailsTo(address: string) {
  return env.smtp.received.filter((mail) => mail.to.includes(address));
}

function expectNoHealthContent(text: string) {
  for (const secret of Object.values(HEALTH_CONTENT)) {
    expect(text).not.toContain(secret);
  }
}

describe('activated account', () => {
  it('message is delivered and notified to the personal email', async () => {
    const ins = await patientIn('activated');
    const message = messageFor(ins);

    const answer = await env.client.sendMessage(message);
    expect(answer).toEqual({ outcome: 'delivered', id: message.id, notification: 'personal-email', readableByPatient: true });

    const result = await env.client.messageResult(message.id);
    expect(result.notificationStatus).toBe('sent');
    expect(result.finalChannel).toBe('personal-email');
    expect(await count('messages', message.id)).toBe(1);

    const mails = mailsTo(`perso-${ins}@example.org`);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Nouveau message dans Mon espace santé');
    expect(mails[0]!.text).toContain('Pour le consulter, connectez-vous à Mon espace santé');
    expectNoHealthContent(mails[0]!.raw + mails[0]!.text);
    expect(mailsTo(`am-${ins}@example.org`)).toHaveLength(0);

    const audit = await auditOf(message.id);
    expect(audit.map((row) => row.action)).toEqual(['message.received', 'notification.sent']);
    expect(audit[0]).toMatchObject({ outcome: 'accepted', visible_to_patient: true, actor_type: 'health-professional', actor_id: message.sender.rpps });
  });

  it('document is stored and notified to the personal email', async () => {
    const ins = await patientIn('activated');
    const document = documentFor(ins);

    const answer = await env.client.feedDocument(document);
    expect(answer).toEqual({ outcome: 'stored', id: document.id, notification: 'personal-email', readableByPatient: true });

    await env.client.documentResult(document.id);
    const stored = await env.pool.query('SELECT content, size_bytes FROM documents WHERE id = $1', [document.id]);
    expect(stored.rows[0].content.toString('base64')).toBe(document.contentBase64);

    const mails = mailsTo(`perso-${ins}@example.org`);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Nouveau document dans Mon espace santé');
    expectNoHealthContent(mails[0]!.raw + mails[0]!.text);
  });
});

describe('created account', () => {
  it('message is delivered, not yet readable, and notified to the Assurance Maladie email', async () => {
    const ins = await patientIn('created-am');
    const message = messageFor(ins);

    const answer = await env.client.sendMessage(message);
    expect(answer).toEqual({ outcome: 'delivered', id: message.id, notification: 'am-email', readableByPatient: false });

    await env.client.messageResult(message.id);
    const mails = mailsTo(`am-${ins}@example.org`);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain("vous ne l'avez pas encore activé");
    expectNoHealthContent(mails[0]!.raw + mails[0]!.text);
  });

  it('document is stored and notified to the Assurance Maladie email', async () => {
    const ins = await patientIn('created-am');
    const document = documentFor(ins);

    expect(await env.client.feedDocument(document)).toMatchObject({ outcome: 'stored', notification: 'am-email', readableByPatient: false });
    await env.client.documentResult(document.id);
    expect(mailsTo(`am-${ins}@example.org`)).toHaveLength(1);
    expect(await count('documents', document.id)).toBe(1);
  });

  it('without email, items go to the yearly statement', async () => {
    const ins = await patientIn('created-none');
    const message = messageFor(ins);
    const document = documentFor(ins);
    const mailsBefore = env.smtp.received.length;

    expect(await env.client.sendMessage(message)).toMatchObject({ outcome: 'delivered', notification: 'yearly-statement' });
    expect(await env.client.feedDocument(document)).toMatchObject({ outcome: 'stored', notification: 'yearly-statement' });
    expect(await env.client.messageResult(message.id)).toMatchObject({ notificationStatus: 'queued-for-statement', finalChannel: 'yearly-statement' });
    await env.client.documentResult(document.id);

    const queued = await env.pool.query(
      "SELECT count(*)::int AS n FROM notifications WHERE patient_ref = $1 AND status = 'queued-for-statement' AND final_channel = 'yearly-statement'",
      [patientRefOf(ins, env.pseudonymKey)],
    );
    expect(queued.rows[0].n).toBe(2);
    expect(env.smtp.received.length).toBe(mailsBefore);
    expect((await auditOf(message.id)).map((row) => row.action)).toEqual(['message.received', 'notification.queued-for-statement']);
  });
});

describe('rejections', () => {
  it.each(REJECTED_DELIVERIES)('%s account: %s is rejected with %s, stores nothing and sends nothing', async (status, kind, code) => {
    const ins = await patientIn(status);
    // Lifecycle notices (the opening notice) may arrive meanwhile; only item notices count here.
    const itemNotices = () => env.smtp.received.filter((mail) => mail.subject.startsWith('Nouveau')).length;
    const mailsBefore = itemNotices();
    const item = kind === 'message' ? messageFor(ins) : documentFor(ins);

    const submission = kind === 'message' ? env.client.sendMessage(item as ReturnType<typeof messageFor>) : env.client.feedDocument(item as ReturnType<typeof documentFor>);
    await expect(submission).rejects.toMatchObject({ name: 'MesRejectionError', code, message: REJECTION_MESSAGES[code] });

    expect(await count(kind === 'message' ? 'messages' : 'documents', item.id)).toBe(0);
    expect(await count('notifications', item.id)).toBe(0);
    const audit = await auditOf(item.id);
    expect(audit).toEqual([expect.objectContaining({ outcome: 'rejected', error_code: code, visible_to_patient: false })]);

    // Give a wrongly started notification time to show up before checking that none was sent.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(itemNotices()).toBe(mailsBefore);
  });

  it('a rejected workflow fails with a non-retryable failure carrying the code', async () => {
    const ins = await patientIn('opposed');
    const message = messageFor(ins);
    await expect(env.client.sendMessage(message)).rejects.toMatchObject({ code: 'PATIENT_OPPOSED' });

    const handle = env.temporal.workflow.getHandle(`message-${message.id}`);
    await expect(handle.result()).rejects.toMatchObject({
      cause: { type: 'PATIENT_OPPOSED', nonRetryable: true, message: REJECTION_MESSAGES.PATIENT_OPPOSED },
    });
  });
});

describe('invalid request', () => {
  it('with a wrong INS key starts no workflow', async () => {
    const ins = await patientIn('activated');
    const message = messageFor(withWrongKey(ins));

    await expect(env.client.sendMessage(message)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      fields: [expect.objectContaining({ field: 'ins' })],
    });
    await expect(env.temporal.workflow.getHandle(`message-${message.id}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await count('messages', message.id)).toBe(0);
  });
});
