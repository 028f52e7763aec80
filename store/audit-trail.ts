import type { PoolClient } from 'pg';
import type { NotificationSubject } from './notifications';

/** Actor type of an action, as the patient's history shows it. */
export type ActorType = 'health-professional' | 'facility' | 'patient' | 'system';

/** One record of the audit trail, written in the transaction of the action it describes. */
export interface AuditEvent {
  /** Identifies the action, so that a retried activity finds its first record instead of writing a second. */
  dedupKey: string;
  occurredAt: Date;
  patientRef: string;
  actorType: ActorType;
  actorId: string;
  actorName: string;
  /** Action code, for example `message.received`; the history shows its French label. */
  action: string;
  subjectKind: 'account' | 'consultation' | NotificationSubject | null;
  subjectId: string | null;
  outcome: 'accepted' | 'rejected';
  errorCode: string | null;
  visibleToPatient: boolean;
  details?: Record<string, unknown>;
}

/** Writes an audit record. Returns false, writing nothing, when a record with the same key exists. */
export async function recordAuditEvent(client: PoolClient, event: AuditEvent): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO audit_events (dedup_key, occurred_at, patient_ref, actor_type, actor_id, actor_name, action,
       subject_kind, subject_id, outcome, error_code, visible_to_patient, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (dedup_key) DO NOTHING`,
    [
      event.dedupKey,
      event.occurredAt,
      event.patientRef,
      event.actorType,
      event.actorId,
      event.actorName,
      event.action,
      event.subjectKind,
      event.subjectId,
      event.outcome,
      event.errorCode,
      event.visibleToPatient,
      JSON.stringify(event.details ?? {}),
    ],
  );
  return result.rowCount === 1;
}

/** Returns the outcome recorded for an action, or null when it was not recorded. */
export async function findRecordedOutcome(
  client: PoolClient,
  dedupKey: string,
): Promise<{ outcome: 'accepted' | 'rejected'; errorCode: string | null; details: Record<string, unknown> } | null> {
  const result = await client.query<{ outcome: 'accepted' | 'rejected'; error_code: string | null; details: Record<string, unknown> }>(
    'SELECT outcome, error_code, details FROM audit_events WHERE dedup_key = $1',
    [dedupKey],
  );
  const row = result.rows[0];
  return row ? { outcome: row.outcome, errorCode: row.error_code, details: row.details } : null;
}

/** Shows the patient the history entries about a document that was hidden from them until now. */
export async function revealDocumentEntries(client: PoolClient, documentId: string): Promise<void> {
  await client.query(
    `UPDATE audit_events SET visible_to_patient = true
     WHERE subject_kind = 'document' AND subject_id = $1 AND outcome = 'accepted' AND NOT visible_to_patient`,
    [documentId],
  );
}
