import type { Pool, PoolClient } from 'pg';

/** Subject of a notification: a new item, a professional's access, a pending update, or a lifecycle step. */
export type NotificationSubject =
  | 'message'
  | 'document'
  | 'first-access'
  | 'emergency-access'
  | 'document-update'
  | 'opening-notice'
  | 'activation-summary'
  | 'deletion-done';

/** Channels a notification can be planned on or settled with. */
export type StoredNotificationChannel = 'personal-email' | 'am-email' | 'yearly-statement' | 'postal-letter';

/** A notification and its status. */
export interface StoredNotification {
  id: string;
  patientRef: string;
  subjectKind: NotificationSubject;
  subjectId: string;
  channel: StoredNotificationChannel;
  status: 'pending' | 'sent' | 'queued-for-statement' | 'cancelled';
  finalChannel: StoredNotificationChannel | null;
  /** Fixed address of a lifecycle notice; null when the address comes from the account's status at sending time. */
  recipient: string | null;
  /** Figures the notice reports, such as counts of waiting items. */
  details: Record<string, unknown>;
}

/** Records a notification planned for an accepted item, pending or already queued for the yearly statement. */
export async function insertNotification(
  client: PoolClient,
  notification: Omit<StoredNotification, 'finalChannel' | 'recipient' | 'details'> & Partial<Pick<StoredNotification, 'recipient' | 'details'>>,
  createdAt: Date,
): Promise<void> {
  const settled = notification.status !== 'pending';
  await client.query(
    `INSERT INTO notifications (id, patient_ref, subject_kind, subject_id, channel, status, final_channel, created_at, settled_at,
       recipient, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      notification.id,
      notification.patientRef,
      notification.subjectKind,
      notification.subjectId,
      notification.channel,
      notification.status,
      settled ? notification.channel : null,
      createdAt,
      settled ? createdAt : null,
      notification.recipient ?? null,
      JSON.stringify(notification.details ?? {}),
    ],
  );
}

/** Reads a notification and locks it until the transaction ends, so that two attempts never settle it twice. */
export async function loadNotificationForUpdate(client: PoolClient, id: string): Promise<StoredNotification | null> {
  const result = await client.query<{
    patient_ref: string;
    subject_kind: NotificationSubject;
    subject_id: string;
    channel: StoredNotificationChannel;
    status: StoredNotification['status'];
    final_channel: StoredNotificationChannel | null;
    recipient: string | null;
    details: Record<string, unknown>;
  }>(
    `SELECT patient_ref, subject_kind, subject_id, channel, status, final_channel, recipient, details
     FROM notifications WHERE id = $1 FOR UPDATE`,
    [id],
  );
  const row = result.rows[0];
  if (!row) {
    return null;
  }
  return {
    id,
    patientRef: row.patient_ref,
    subjectKind: row.subject_kind,
    subjectId: row.subject_id,
    channel: row.channel,
    status: row.status,
    finalChannel: row.final_channel,
    recipient: row.recipient,
    details: row.details,
  };
}

/** Records a failed send of a notification that stays pending, so that operators see the retries. */
export async function recordSendFailure(pool: Pool, id: string, error: string): Promise<void> {
  await pool.query(
    `UPDATE notifications SET send_attempts = send_attempts + 1, last_error = $2 WHERE id = $1 AND status = 'pending'`,
    [id, error],
  );
}

/** Marks a pending notification as settled. */
export async function settleNotification(
  client: PoolClient,
  id: string,
  settlement: {
    status: 'sent' | 'queued-for-statement' | 'cancelled';
    finalChannel: StoredNotificationChannel | null;
    smtpMessageId?: string;
    lastError?: string;
    settledAt: Date;
    /** True when an email was handed to the SMTP relay for this settlement, so that it counts as an attempt. */
    afterSend?: boolean;
  },
): Promise<void> {
  await client.query(
    `UPDATE notifications SET status = $2, final_channel = $3, smtp_message_id = $4,
       last_error = coalesce($5, last_error), settled_at = $6,
       send_attempts = send_attempts + CASE WHEN $7 THEN 1 ELSE 0 END
     WHERE id = $1 AND status = 'pending'`,
    [
      id,
      settlement.status,
      settlement.finalChannel,
      settlement.smtpMessageId ?? null,
      settlement.lastError ?? null,
      settlement.settledAt,
      settlement.afterSend ?? false,
    ],
  );
}
