import type { Pool } from 'pg';
import type { HistoryEntry } from '../contracts/patient-history';
import { ACTOR_TYPE_LABELS, HISTORY_ACTION_LABELS } from '../domain/history-labels';
import type { ActorType } from './audit-trail';

/** Reason a history cannot be read. */
export type HistoryUnavailable = { available: false; code: 'PATIENT_UNKNOWN' | 'ACCOUNT_NOT_ACTIVATED' };

/**
 * Reads the holder's history, newest first. It is readable only once the account is activated, and it
 * contains accepted actions only: rejected attempts stay in the operator log.
 */
export async function readPatientHistory(
  pool: Pool,
  patientRef: string,
): Promise<{ available: true; entries: HistoryEntry[] } | HistoryUnavailable> {
  const account = await pool.query<{ status: string }>('SELECT status FROM accounts WHERE patient_ref = $1', [patientRef]);
  const status = account.rows[0]?.status;
  if (!status) {
    return { available: false, code: 'PATIENT_UNKNOWN' };
  }
  if (status !== 'activated') {
    return { available: false, code: 'ACCOUNT_NOT_ACTIVATED' };
  }

  const result = await pool.query<{
    occurred_at: Date;
    actor_type: ActorType;
    actor_id: string;
    actor_name: string;
    action: string;
    subject_kind: string | null;
    subject_id: string | null;
  }>(
    `SELECT occurred_at, actor_type, actor_id, actor_name, action, subject_kind, subject_id
     FROM audit_events WHERE patient_ref = $1 AND visible_to_patient
     ORDER BY occurred_at DESC, id DESC`,
    [patientRef],
  );
  const entries = result.rows.map((row) => ({
    occurredAt: row.occurred_at.toISOString(),
    actorType: row.actor_type,
    actorTypeLabel: ACTOR_TYPE_LABELS[row.actor_type] ?? row.actor_type,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    actionLabel: HISTORY_ACTION_LABELS[row.action] ?? row.action,
    subjectKind: row.subject_kind,
    subjectId: row.subject_id,
  }));
  return { available: true, entries };
}
