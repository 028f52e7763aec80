import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatientHistoryClient } from '../client/patient-history-client';
import { patientRefOf } from '../domain/patient-ref';
import { generateIns } from './support/identities';
import { activatedPatient } from './support/patients';
import { consultationFor, documentFor, messageFor, newProfessional } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

let env: TestEnvironment;
const patientRefs: string[] = [];
let holder: { ins: string; email: string };
const doctor = newProfessional('Dr Élise Fontaine');

/** Runs a mixed batch of messages, documents and consultations over several statuses, and waits for all of it. */
async function runMixedBatch(): Promise<void> {
  holder = await activatedPatient(env.client);
  const second = await activatedPatient(env.client);
  const created = generateIns();
  await env.client.applyAccountEvent({ type: 'account.created', ins: created, amEmail: null });
  const opposed = generateIns();
  await env.client.applyAccountEvent({ type: 'account.opposed', ins: opposed });
  for (const ins of [holder.ins, second.ins, created, opposed]) {
    patientRefs.push(patientRefOf(ins, env.pseudonymKey));
  }

  const hidden = documentFor(holder.ins, { author: doctor, visibility: ['INVISIBLE_PATIENT'] });
  const deliveries = [
    messageFor(holder.ins, { sender: doctor }),
    messageFor(second.ins),
    messageFor(created),
    documentFor(holder.ins, { author: doctor }),
    documentFor(created, { visibility: ['MASQUE_PS'] }),
    hidden,
  ];
  for (const item of deliveries) {
    if (item.type === 'message') {
      await env.client.sendMessage(item);
    } else {
      await env.client.feedDocument(item);
    }
  }
  const rejected = [messageFor(opposed), documentFor(opposed)];
  for (const item of rejected) {
    const submission = item.type === 'message' ? env.client.sendMessage(item) : env.client.feedDocument(item);
    await expect(submission).rejects.toMatchObject({ code: expect.any(String) });
  }

  const consultations = [
    consultationFor(holder.ins, doctor, { announces: hidden.id }),
    consultationFor(holder.ins, doctor),
    consultationFor(holder.ins, newProfessional(), { mode: 'emergency' }),
    consultationFor(created, newProfessional()),
  ];
  for (const consultation of consultations) {
    await env.client.consultationResult((await env.client.consultDmp(consultation)).id);
  }
  await expect(env.client.consultDmp(consultationFor(opposed, doctor))).rejects.toMatchObject({ code: 'DMP_CLOSED' });

  for (const item of deliveries) {
    await (item.type === 'message' ? env.client.messageResult(item.id) : env.client.documentResult(item.id));
  }
}

beforeAll(async () => {
  env = await startTestEnvironment('history-invariants');
  await runMixedBatch();
});

afterAll(async () => {
  await env?.stop();
});

describe('history invariants after a mixed run', () => {
  it('every accepted action has exactly one history entry', async () => {
    const result = await env.pool.query(
      `WITH actions AS (
         SELECT 'message.received' AS action, id FROM messages WHERE patient_ref = ANY ($1)
         UNION ALL SELECT 'document.fed', id FROM documents WHERE patient_ref = ANY ($1)
         UNION ALL SELECT CASE mode WHEN 'emergency' THEN 'dmp.consulted-in-emergency' ELSE 'dmp.consulted' END, id
           FROM consultations WHERE patient_ref = ANY ($1))
       SELECT actions.action, actions.id,
         (SELECT count(*)::int FROM audit_events e
          WHERE e.subject_id = actions.id AND e.action = actions.action AND e.visible_to_patient) AS entries
       FROM actions`,
      [patientRefs],
    );
    expect(result.rows.length).toBe(10);
    for (const row of result.rows) {
      expect(row, `${row.action} ${row.id}`).toMatchObject({ entries: 1 });
    }
  });

  it('every notification sent has its history entry', async () => {
    const result = await env.pool.query(
      `SELECT n.id, (SELECT count(*)::int FROM audit_events e
                     WHERE e.dedup_key = 'notification:' || n.id || ':settled' AND e.action = 'notification.sent'
                       AND e.visible_to_patient) AS entries
       FROM notifications n WHERE n.patient_ref = ANY ($1) AND n.status = 'sent'`,
      [patientRefs],
    );
    expect(result.rows.length).toBe(env.smtp.received.length);
    for (const row of result.rows) {
      expect(row, row.id).toMatchObject({ entries: 1 });
    }
  });

  it('no history entry exists without its action', async () => {
    const result = await env.pool.query(
      `SELECT e.action, e.subject_id FROM audit_events e
       WHERE e.patient_ref = ANY ($1) AND e.visible_to_patient AND NOT (
         (e.action = 'message.received' AND EXISTS (SELECT 1 FROM messages m WHERE m.id = e.subject_id))
         OR (e.action = 'document.fed' AND EXISTS (SELECT 1 FROM documents d WHERE d.id = e.subject_id AND d.visible_to_patient_at IS NOT NULL))
         OR (e.action LIKE 'dmp.consulted%' AND EXISTS (SELECT 1 FROM consultations c WHERE c.id = e.subject_id))
         OR (e.action LIKE 'account.%' AND e.subject_kind = 'account')
         OR (e.action = 'notification.sent' AND EXISTS (
               SELECT 1 FROM notifications n WHERE e.dedup_key = 'notification:' || n.id || ':settled' AND n.status = 'sent'))
         OR (e.action IN ('notification.queued-for-statement', 'notification.fallback-to-statement') AND EXISTS (
               SELECT 1 FROM notifications n WHERE e.dedup_key = 'notification:' || n.id || ':settled' AND n.status = 'queued-for-statement')))`,
      [patientRefs],
    );
    expect(result.rows).toEqual([]);
  });

  it('rejected attempts stay out of every history', async () => {
    const result = await env.pool.query(
      `SELECT count(*)::int AS rejected, count(*) FILTER (WHERE visible_to_patient)::int AS visible
       FROM audit_events WHERE patient_ref = ANY ($1) AND outcome = 'rejected'`,
      [patientRefs],
    );
    expect(result.rows[0]).toEqual({ rejected: 3, visible: 0 });
  });

  it('the holder history names each actor with its time', async () => {
    const entries = await new PatientHistoryClient({ pool: env.pool, pseudonymKey: env.pseudonymKey }).read(holder.ins);
    const consultations = await env.pool.query(
      'SELECT id, consulted_at FROM consultations WHERE patient_ref = $1 AND professional_rpps = $2 ORDER BY consulted_at',
      [patientRefOf(holder.ins, env.pseudonymKey), doctor.rpps],
    );

    for (const row of consultations.rows) {
      const entry = entries.find((candidate) => candidate.subjectId === row.id && candidate.actorType === 'health-professional');
      expect(entry).toMatchObject({
        actorType: 'health-professional',
        actorTypeLabel: 'Professionnel de santé',
        actorId: doctor.rpps,
        actorName: doctor.name,
        action: 'dmp.consulted',
        occurredAt: row.consulted_at.toISOString(),
      });
    }
    const times = entries.map((entry) => entry.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(entries.at(-1)).toMatchObject({ action: 'account.created', actorType: 'system', actorName: 'Assurance Maladie' });
  });
});
