import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REJECTION_MESSAGES } from '../domain/rejections';
import { generateIns } from './support/identities';
import { activatedPatient } from './support/patients';
import { consultationFor, documentFor, newProfessional } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

let env: TestEnvironment;

beforeAll(async () => {
  env = await startTestEnvironment('consultation');
});

afterAll(async () => {
  await env?.stop();
});

function mailsTo(address: string) {
  return env.smtp.received.filter((mail) => mail.to.includes(address));
}

async function auditOf(consultationId: string) {
  const result = await env.pool.query(
    'SELECT action, outcome, error_code, visible_to_patient, actor_id FROM audit_events WHERE subject_id = $1 ORDER BY id',
    [consultationId],
  );
  return result.rows;
}

async function settle(ms = 300): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('consultation by status', () => {
  it('of an activated DMP is recorded and traced', async () => {
    const { ins } = await activatedPatient(env.client);
    const professional = newProfessional();
    const consultation = consultationFor(ins, professional);

    const answer = await env.client.consultDmp(consultation);
    expect(answer).toMatchObject({ outcome: 'consulted', id: consultation.id, firstAccess: true, notification: 'personal-email' });

    const audit = await auditOf(consultation.id);
    expect(audit[0]).toMatchObject({ action: 'dmp.consulted', outcome: 'accepted', visible_to_patient: true, actor_id: professional.rpps });
  });

  it('of a created DMP notifies the Assurance Maladie email', async () => {
    const ins = generateIns();
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: `am-${ins}@example.org` });
    const consultation = consultationFor(ins, newProfessional());

    expect(await env.client.consultDmp(consultation)).toMatchObject({ outcome: 'consulted', notification: 'am-email' });
    await env.client.consultationResult(consultation.id);
    expect(mailsTo(`am-${ins}@example.org`)).toHaveLength(1);
  });

  it.each([
    ['opposed', 'DMP_CLOSED'],
    ['closed', 'DMP_CLOSED'],
    ['opening', 'ACCOUNT_NOT_OPEN'],
    ['unknown', 'PATIENT_UNKNOWN'],
  ] as const)('of a %s DMP is rejected with %s and traced for operators', async (status, code) => {
    const ins = generateIns();
    if (status === 'opposed') {
      await env.client.applyAccountEvent({ type: 'account.opposed', ins });
    } else if (status === 'closed') {
      await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
      await env.client.applyAccountEvent({ type: 'account.closed', ins, reason: 'holder-request' });
    } else if (status === 'opening') {
      await env.client.applyAccountEvent({ type: 'account.opening', ins, amEmail: `am-${ins}@example.org` });
    }
    const consultation = consultationFor(ins, newProfessional());

    const message = code === 'DMP_CLOSED' ? 'Consultation refusée : le DMP de ce patient est fermé.' : REJECTION_MESSAGES[code];
    await expect(env.client.consultDmp(consultation)).rejects.toMatchObject({ code, message });
    expect(await auditOf(consultation.id)).toEqual([expect.objectContaining({ outcome: 'rejected', error_code: code, visible_to_patient: false })]);
    const stored = await env.pool.query('SELECT count(*)::int AS n FROM consultations WHERE id = $1', [consultation.id]);
    expect(stored.rows[0].n).toBe(0);
  });
});

describe('first-access notice', () => {
  it('is sent once per professional', async () => {
    const { ins, email } = await activatedPatient(env.client);
    const first = newProfessional('Dr Anne Petit');
    const second = newProfessional('Dr Marc Roux');

    const firstVisit = await env.client.consultDmp(consultationFor(ins, first));
    const secondVisit = await env.client.consultDmp(consultationFor(ins, first));
    const otherProfessional = await env.client.consultDmp(consultationFor(ins, second));
    for (const answer of [firstVisit, secondVisit, otherProfessional]) {
      await env.client.consultationResult(answer.id);
    }

    expect(firstVisit).toMatchObject({ firstAccess: true, notification: 'personal-email' });
    expect(secondVisit).toMatchObject({ firstAccess: false, notification: 'none' });
    expect(otherProfessional).toMatchObject({ firstAccess: true, notification: 'personal-email' });
    const notices = mailsTo(email);
    expect(notices).toHaveLength(2);
    expect(notices[0]!.subject).toBe('Un professionnel de santé a consulté votre dossier médical');
    expect(notices[0]!.text).not.toContain('Dr Anne Petit');
  });

  it('is sent once for concurrent first consultations', async () => {
    const { ins, email } = await activatedPatient(env.client);
    const professional = newProfessional();

    const answers = await Promise.all(Array.from({ length: 6 }, () => env.client.consultDmp(consultationFor(ins, professional))));
    for (const answer of answers) {
      await env.client.consultationResult(answer.id);
    }

    expect(answers.filter((answer) => answer.firstAccess)).toHaveLength(1);
    await settle();
    expect(mailsTo(email)).toHaveLength(1);
  });
});

describe('emergency access', () => {
  it('notifies the holder even after an earlier access', async () => {
    const { ins, email } = await activatedPatient(env.client);
    const professional = newProfessional();

    await env.client.consultationResult((await env.client.consultDmp(consultationFor(ins, professional))).id);
    const emergency = await env.client.consultDmp(consultationFor(ins, professional, { mode: 'emergency' }));
    const result = await env.client.consultationResult(emergency.id);

    expect(emergency).toMatchObject({ firstAccess: false, notification: 'personal-email' });
    expect(result.notificationStatus).toBe('sent');
    const notices = mailsTo(email);
    expect(notices.map((mail) => mail.subject)).toEqual([
      'Un professionnel de santé a consulté votre dossier médical',
      'Accès en urgence à votre dossier médical',
    ]);
    expect((await auditOf(emergency.id))[0]).toMatchObject({ action: 'dmp.consulted-in-emergency', visible_to_patient: true });
  });
});

describe('MASQUE_PS document', () => {
  it('is listed for its author only', async () => {
    const { ins } = await activatedPatient(env.client);
    const author = newProfessional('Dr Lucie Garnier');
    const visible = documentFor(ins, { author });
    const masked = documentFor(ins, { author, visibility: ['MASQUE_PS'] });
    await env.client.feedDocument(visible);
    await env.client.feedDocument(masked);

    const byAuthor = await env.client.consultDmp(consultationFor(ins, author));
    const byOther = await env.client.consultDmp(consultationFor(ins, newProfessional()));

    expect(byAuthor.documents.map((document) => document.id)).toEqual([visible.id, masked.id]);
    expect(byAuthor.documents[1]!.visibility).toEqual(['MASQUE_PS']);
    expect(byOther.documents.map((document) => document.id)).toEqual([visible.id]);
  });

  it('INVISIBLE_REPRESENTANTS_LEGAUX is stored and listed with the document', async () => {
    const { ins } = await activatedPatient(env.client);
    const document = documentFor(ins, { visibility: ['INVISIBLE_REPRESENTANTS_LEGAUX'] });
    expect(await env.client.feedDocument(document)).toMatchObject({ outcome: 'stored', notification: 'personal-email', readableByPatient: true });

    const listed = await env.client.consultDmp(consultationFor(ins, newProfessional()));
    expect(listed.documents).toEqual([expect.objectContaining({ id: document.id, visibility: ['INVISIBLE_REPRESENTANTS_LEGAUX'] })]);
  });
});
