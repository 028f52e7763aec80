import type { PoolClient } from 'pg';
import { notificationChannelOf, type AccountSnapshot, type NotificationChannel } from '../machines/account-snapshot';
import { recordAuditEvent } from '../store/audit-trail';
import { insertNotification, type NotificationSubject } from '../store/notifications';

/** A planned notification: its channel, and the id of the record to send, or null when nothing is to be sent now. */
export interface PlannedNotification {
  channel: NotificationChannel;
  notificationId: string | null;
}

/**
 * Plans the notice of an event inside the caller's transaction, on the channel the account's status gives.
 * An email notice is recorded as pending for `sendNotification`; a notice for the yearly statement is recorded
 * as queued with its history entry; a status without notices records nothing.
 */
export async function planNotification(
  client: PoolClient,
  notice: { id: string; patientRef: string; subjectKind: NotificationSubject; subjectId: string; account: AccountSnapshot; at: Date },
): Promise<PlannedNotification> {
  const { channel } = notificationChannelOf(notice.account);
  if (channel === 'none') {
    return { channel, notificationId: null };
  }

  const queued = channel === 'yearly-statement';
  await insertNotification(
    client,
    {
      id: notice.id,
      patientRef: notice.patientRef,
      subjectKind: notice.subjectKind,
      subjectId: notice.subjectId,
      channel,
      status: queued ? 'queued-for-statement' : 'pending',
    },
    notice.at,
  );
  if (!queued) {
    return { channel, notificationId: notice.id };
  }

  await recordAuditEvent(client, {
    dedupKey: `notification:${notice.id}:settled`,
    occurredAt: notice.at,
    patientRef: notice.patientRef,
    actorType: 'system',
    actorId: 'mon-espace-sante',
    actorName: 'Mon espace santé',
    action: 'notification.queued-for-statement',
    subjectKind: notice.subjectKind,
    // A pending update must not tell the patient which hidden document it is about.
    subjectId: notice.subjectKind === 'document-update' ? null : notice.subjectId,
    outcome: 'accepted',
    errorCode: null,
    visibleToPatient: true,
    details: { channel },
  });
  return { channel, notificationId: null };
}
