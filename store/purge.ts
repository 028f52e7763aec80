import type { PoolClient } from 'pg';

/** Counts of what a purge removed. */
export interface PurgeCounts {
  messagesPurged: number;
  documentsPurged: number;
}

/**
 * Removes a closed account's content: messages, replies, documents, consultations, first accesses, notifications and
 * the history entries of professionals' actions. It keeps the account row and its lifecycle entries, and writes
 * the proof of the purge (when, why, how many items) in `purges`.
 */
export async function purgeAccountContent(
  client: PoolClient,
  purge: { patientRef: string; closedAt: string; purgedAt: Date; reason: 'retention-elapsed' | 'deletion-requested' },
): Promise<PurgeCounts> {
  const { patientRef } = purge;

  await client.query('DELETE FROM notifications WHERE patient_ref = $1', [patientRef]);
  await client.query('DELETE FROM professional_accesses WHERE patient_ref = $1', [patientRef]);
  await client.query('DELETE FROM consultations WHERE patient_ref = $1', [patientRef]);
  await client.query('DELETE FROM replies WHERE patient_ref = $1', [patientRef]);
  const messages = await client.query('DELETE FROM messages WHERE patient_ref = $1', [patientRef]);
  const documents = await client.query('DELETE FROM documents WHERE patient_ref = $1', [patientRef]);
  await client.query("DELETE FROM audit_events WHERE patient_ref = $1 AND action NOT LIKE 'account.%'", [patientRef]);

  const counts = { messagesPurged: messages.rowCount ?? 0, documentsPurged: documents.rowCount ?? 0 };
  await client.query(
    `INSERT INTO purges (patient_ref, closed_at, purged_at, reason, messages_purged, documents_purged)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [patientRef, purge.closedAt, purge.purgedAt, purge.reason, counts.messagesPurged, counts.documentsPurged],
  );
  return counts;
}
