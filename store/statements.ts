import type { Pool, PoolClient } from 'pg';
import type { PostalAddress } from '../contracts/account-events';

/** Bounds of a calendar year in Paris time, as ISO instants: [start, end). */
export function yearBounds(year: number): { start: string; end: string } {
  // Paris is UTC+1 on 1 January, so the year starts at 23:00 UTC the day before.
  return { start: new Date(Date.UTC(year - 1, 11, 31, 23)).toISOString(), end: new Date(Date.UTC(year, 11, 31, 23)).toISOString() };
}

/**
 * Lists, in patient reference order after `after`, the accounts that get a statement for `year`: created and
 * never activated with no email on file, or with a notice of the year that fell back to the statement.
 * Keyset pagination keeps each page an index range scan, however far the batch has gone.
 */
export async function listStatementRecipients(pool: Pool, year: number, after: string, limit: number): Promise<string[]> {
  const { start, end } = yearBounds(year);
  const result = await pool.query<{ patient_ref: string }>(
    `SELECT a.patient_ref FROM accounts a
     WHERE a.patient_ref > $1
       AND ((a.status = 'created' AND a.snapshot -> 'context' ->> 'amEmail' IS NULL)
            OR EXISTS (SELECT 1 FROM notifications n
                       WHERE n.patient_ref = a.patient_ref AND n.final_channel = 'yearly-statement'
                         AND n.created_at >= $2 AND n.created_at < $3))
     ORDER BY a.patient_ref
     LIMIT $4`,
    [after, start, end, limit],
  );
  return result.rows.map((row) => row.patient_ref);
}

/** Counts of one month of a holder's activity. */
export interface MonthActivity {
  /** 1 to 12. */
  month: number;
  documents: number;
  messages: number;
  firstAccesses: number;
}

/** Counts, month by month in Paris time, the documents added, messages received and first accesses of a year. */
export async function monthlyActivity(client: PoolClient, patientRef: string, year: number): Promise<MonthActivity[]> {
  const { start, end } = yearBounds(year);
  const result = await client.query<{ month: number; documents: number; messages: number; first_accesses: number }>(
    `WITH events AS (
       SELECT 'document' AS kind, stored_at AS at FROM documents
        WHERE patient_ref = $1 AND visible_to_patient_at IS NOT NULL AND stored_at >= $2 AND stored_at < $3
       UNION ALL SELECT 'message', received_at FROM messages WHERE patient_ref = $1 AND received_at >= $2 AND received_at < $3
       UNION ALL SELECT 'access', first_access_at FROM professional_accesses
        WHERE patient_ref = $1 AND first_access_at >= $2 AND first_access_at < $3)
     SELECT extract(month FROM at AT TIME ZONE 'Europe/Paris')::int AS month,
            count(*) FILTER (WHERE kind = 'document')::int AS documents,
            count(*) FILTER (WHERE kind = 'message')::int AS messages,
            count(*) FILTER (WHERE kind = 'access')::int AS first_accesses
     FROM events GROUP BY 1 ORDER BY 1`,
    [patientRef, start, end],
  );
  return result.rows.map((row) => ({ month: row.month, documents: row.documents, messages: row.messages, firstAccesses: row.first_accesses }));
}

/** Reads the postal address on file for an account, or null. */
export async function loadPostalAddress(client: PoolClient, patientRef: string): Promise<PostalAddress | null> {
  const result = await client.query<{ postal_address: PostalAddress | null }>('SELECT postal_address FROM accounts WHERE patient_ref = $1', [patientRef]);
  return result.rows[0]?.postal_address ?? null;
}

/** Tells whether the statement of this account and year was already sent. */
export async function statementSent(client: PoolClient, patientRef: string, year: number): Promise<boolean> {
  const result = await client.query('SELECT 1 FROM statements WHERE patient_ref = $1 AND year = $2', [patientRef, year]);
  return result.rowCount === 1;
}

/** Records a sent statement; returns false when it was already recorded. */
export async function recordStatement(
  client: PoolClient,
  statement: { patientRef: string; year: number; letterFile: string; shortVersion: boolean; sentAt: Date },
): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO statements (patient_ref, year, letter_file, short_version, sent_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [statement.patientRef, statement.year, statement.letterFile, statement.shortVersion, statement.sentAt],
  );
  return result.rowCount === 1;
}

/** Counts the year's recipients, for a progress bar. */
export async function countStatementRecipients(pool: Pool, year: number): Promise<number> {
  const { start, end } = yearBounds(year);
  const result = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM accounts a
     WHERE (a.status = 'created' AND a.snapshot -> 'context' ->> 'amEmail' IS NULL)
        OR EXISTS (SELECT 1 FROM notifications n
                   WHERE n.patient_ref = a.patient_ref AND n.final_channel = 'yearly-statement'
                     AND n.created_at >= $1 AND n.created_at < $2)`,
    [start, end],
  );
  return result.rows[0]?.n ?? 0;
}
