import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatientHistoryClient } from '../client/patient-history-client';
import { REJECTION_MESSAGES } from '../domain/rejections';
import { activatedPatient } from './support/patients';
import { consultationFor, documentFor, HEALTH_CONTENT, newProfessional } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

/** Seconds instead of 2 weeks and 1 month, so that the durable timers fire during the test. */
const DELAYS = { updateNoticeAfterMs: 4_000, visibleAfterMs: 8_000 };
const UPDATE_SUBJECT = 'Mise à jour de votre dossier médical';
const DOCUMENT_SUBJECT = 'Nouveau document dans Mon espace santé';

let env: TestEnvironment;
let history: PatientHistoryClient;

beforeAll(async () => {
  env = await startTestEnvironment('document-visibility', { visibilityDelays: DELAYS });
  history = new PatientHistoryClient({ pool: env.pool, pseudonymKey: env.pseudonymKey });
});

afterAll(async () => {
  await env?.stop();
});

function subjectsTo(address: string): string[] {
  return env.smtp.received.filter((mail) => mail.to.includes(address)).map((mail) => mail.subject);
}

async function historySubjects(ins: string): Promise<Array<string | null>> {
  return (await history.read(ins)).map((entry) => entry.subjectId);
}

describe('INVISIBLE_PATIENT document', () => {
  it('is hidden, announced as an update, then shown after its delays', async () => {
    const { ins, email } = await activatedPatient(env.client);
    const document = documentFor(ins, { visibility: ['INVISIBLE_PATIENT'] });
    const fedAt = Date.now();

    const answer = await env.client.feedDocument(document);
    expect(answer).toEqual({ outcome: 'stored', id: document.id, notification: 'none', readableByPatient: false });
    expect(await historySubjects(ins)).not.toContain(document.id);
    expect(subjectsTo(email)).toEqual([]);

    await env.smtp.waitForMails(env.smtp.received.length + 1, 15_000);
    expect(subjectsTo(email)).toEqual([UPDATE_SUBJECT]);
    expect(Date.now() - fedAt).toBeGreaterThanOrEqual(DELAYS.updateNoticeAfterMs);
    const update = env.smtp.received.find((mail) => mail.to.includes(email))!;
    expect(update.raw).not.toContain(document.id);
    expect(update.text).not.toContain(HEALTH_CONTENT.title);
    // The update entry does not say which document it is about.
    expect(await historySubjects(ins)).not.toContain(document.id);

    const result = await env.client.documentResult(document.id);
    expect(Date.now() - fedAt).toBeGreaterThanOrEqual(DELAYS.visibleAfterMs);
    expect(result).toMatchObject({ notificationStatus: 'sent', finalChannel: 'personal-email' });
    expect(subjectsTo(email)).toEqual([UPDATE_SUBJECT, DOCUMENT_SUBJECT]);

    const entries = await history.read(ins);
    expect(entries.filter((entry) => entry.subjectId === document.id).map((entry) => entry.action)).toEqual([
      'notification.sent',
      'document.fed',
    ]);
  });

  it('is shown at once when its author announces it', async () => {
    const { ins, email } = await activatedPatient(env.client);
    const author = newProfessional('Dr Inès Morel');
    const document = documentFor(ins, { author, visibility: ['INVISIBLE_PATIENT'] });
    await env.client.feedDocument(document);

    const consultation = await env.client.consultDmp(consultationFor(ins, author, { announces: document.id }));
    const result = await env.client.documentResult(document.id);

    expect(consultation.documents.map((listed) => listed.id)).toContain(document.id);
    expect(result).toMatchObject({ notificationStatus: 'sent', finalChannel: 'personal-email' });
    await env.client.consultationResult(consultation.id);
    // The first access notice and the document notice, but no update notice.
    expect(subjectsTo(email).sort()).toEqual([DOCUMENT_SUBJECT, 'Un professionnel de santé a consulté votre dossier médical'].sort());
    expect(await historySubjects(ins)).toContain(document.id);
  });

  it('cannot be announced by another professional', async () => {
    const { ins } = await activatedPatient(env.client);
    const document = documentFor(ins, { visibility: ['INVISIBLE_PATIENT'] });
    await env.client.feedDocument(document);

    await expect(env.client.consultDmp(consultationFor(ins, newProfessional(), { announces: document.id }))).rejects.toMatchObject({
      code: 'ANNOUNCEMENT_REJECTED',
      message: REJECTION_MESSAGES.ANNOUNCEMENT_REJECTED,
    });
    const stored = await env.pool.query('SELECT visible_to_patient_at, announced_at FROM documents WHERE id = $1', [document.id]);
    expect(stored.rows[0]).toEqual({ visible_to_patient_at: null, announced_at: null });
  });
});
