import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { contentIdOf } from '../domain/patient-ref';
import { composeNotificationEmail } from '../mail/notification-email';
import { describeMailFailure, isPermanentMailFailure } from '../mail/smtp-failure';
import { notificationChannelOf, restoreAccountSnapshot } from '../machines/account-snapshot';
import { loadAccount } from '../store/accounts';
import { recordAuditEvent, type AuditEvent } from '../store/audit-trail';
import { loadNotificationForUpdate, recordSendFailure, settleNotification, type StoredNotification } from '../store/notifications';
import { retryOnConnectionLoss } from '../store/connection-loss';
import { withTransaction } from '../store/transaction';
import type { ActivityDependencies } from './activity-dependencies';

/** Final state of a notification. */
export interface NotificationSettlement {
  /** `none` when no notice was due. */
  status: 'sent' | 'queued-for-statement' | 'cancelled' | 'none';
  finalChannel: 'personal-email' | 'am-email' | 'yearly-statement' | 'postal-letter' | 'none';
}

/** Error type of a notification that does not exist; a bug, so it is not retried. */
export const NOTIFICATION_NOT_FOUND = 'NOTIFICATION_NOT_FOUND';

/** Time kept, at the end of an attempt, between the last try to record a sent email and the attempt's timeout. */
const RECORD_MARGIN_MS = 2_000;

/** The actor of notification records in the history. */
const SYSTEM_ACTOR = { actorType: 'system', actorId: 'mon-espace-sante', actorName: 'Mon espace santé' } as const;

/** Builds the activities that tell the patient something new is waiting. */
export function createNotificationActivities(dependencies: ActivityDependencies) {
  function settlementTrace(notification: StoredNotification, action: string, details: Record<string, unknown>): AuditEvent {
    return {
      ...SYSTEM_ACTOR,
      dedupKey: `notification:${notification.id}:settled`,
      occurredAt: dependencies.clock(),
      patientRef: notification.patientRef,
      action,
      subjectKind: notification.subjectKind,
      // A pending update must not tell the patient which hidden document it is about.
      subjectId: notification.subjectKind === 'document-update' ? null : notification.subjectId,
      outcome: 'accepted',
      errorCode: null,
      visibleToPatient: action !== 'notification.cancelled',
      details,
    };
  }

  /** Settles a pending notification without email: queued for the yearly statement, or cancelled. */
  async function settleWithoutEmail(
    notificationId: string,
    status: 'queued-for-statement' | 'cancelled',
    reason: string,
    lastError?: string,
    afterSend = false,
  ): Promise<NotificationSettlement> {
    return withTransaction(dependencies.pool, async (client) => {
      const notification = await loadNotificationForUpdate(client, notificationId);
      if (!notification) {
        throw ApplicationFailure.nonRetryable(`Notification ${notificationId} not found`, NOTIFICATION_NOT_FOUND);
      }
      if (notification.status !== 'pending') {
        return settlementOf(notification);
      }

      const finalChannel = status === 'cancelled' ? null : 'yearly-statement';
      await settleNotification(client, notificationId, { status, finalChannel, lastError, settledAt: dependencies.clock(), afterSend });
      const action = status === 'cancelled' ? 'notification.cancelled' : 'notification.fallback-to-statement';
      await recordAuditEvent(client, settlementTrace(notification, action, { reason }));
      return { status, finalChannel: finalChannel ?? 'none' };
    });
  }

  return {
    /**
     * Emails the notice to the address valid now (activity). The account is read again at sending time: a
     * closed or opposed account gets nothing, and an address changed since acceptance is honoured.
     *
     * The address is read at the start of each attempt, so an account change between that read and the SMTP
     * exchange reaches the next attempt only.
     *
     * Delivery is at least once: if the worker dies after the SMTP server accepted the email and before the
     * record is updated, or the database stays down for the rest of the attempt, the retry sends it again with
     * the same Message-ID, which receivers use to drop it.
     */
    async sendNotification(input: { notificationId: string }): Promise<NotificationSettlement> {
      const { notificationId } = input;
      const startedAt = Date.now();

      const plan = await withTransaction(dependencies.pool, async (client) => {
        const notification = await loadNotificationForUpdate(client, notificationId);
        if (!notification) {
          throw ApplicationFailure.nonRetryable(`Notification ${notificationId} not found`, NOTIFICATION_NOT_FOUND);
        }
        if (notification.status !== 'pending') {
          return { notification, target: null };
        }
        // A lifecycle notice goes to its fixed address whatever the status; any other follows the status now.
        if (notification.recipient) {
          return { notification, target: { channel: notification.channel, address: notification.recipient } };
        }
        const account = await loadAccount(client, notification.patientRef);
        const target = account ? notificationChannelOf(restoreAccountSnapshot(account.persisted)) : null;
        return { notification, target };
      });
      const { notification, target } = plan;

      if (notification.status !== 'pending') {
        return settlementOf(notification);
      }
      if (!target || target.channel === 'none') {
        log.info('Notification cancelled: the account no longer accepts notices', { notificationId });
        return settleWithoutEmail(notificationId, 'cancelled', 'account-no-longer-notified');
      }
      if (target.channel === 'yearly-statement' || target.channel === 'postal-letter' || !target.address) {
        return settleWithoutEmail(notificationId, 'queued-for-statement', 'no-email-address');
      }
      const emailChannel = target.channel;

      const email = composeNotificationEmail({ subjectKind: notification.subjectKind, channel: emailChannel, details: notification.details });
      // Stable per notification so that a resend can be recognized, and opaque: item ids can be meaningful.
      const smtpMessageId = `<${contentIdOf(`notification:${notificationId}`, dependencies.pseudonymKey)}@notifications.monespacesante.example>`;
      try {
        await dependencies.mailSender.send({
          messageId: smtpMessageId,
          from: dependencies.mailFrom,
          to: target.address,
          subject: email.subject,
          text: email.text,
        });
      } catch (error) {
        if (isPermanentMailFailure(error)) {
          const reason = describeMailFailure(error);
          log.warn('Notification email rejected permanently; falling back to the yearly statement', { notificationId, reason });
          return settleWithoutEmail(notificationId, 'queued-for-statement', 'email-rejected', reason, true);
        }
        // Transient: Temporal retries the activity with backoff.
        const reason = describeMailFailure(error);
        log.warn('Notification email failed; will retry', { notificationId, reason });
        await recordSendFailure(dependencies.pool, notificationId, reason);
        throw error;
      }

      // The relay has the email: a database outage now must not make Temporal retry the whole activity, which
      // would send it again. The record is retried here while the activity's time allows.
      const { startToCloseTimeoutMs } = Context.current().info;
      const deadline = startedAt + startToCloseTimeoutMs - RECORD_MARGIN_MS;
      const record = () => withTransaction(dependencies.pool, async (client): Promise<NotificationSettlement> => {
        const current = await loadNotificationForUpdate(client, notificationId);
        if (!current || current.status !== 'pending') {
          return current ? settlementOf(current) : { status: 'sent', finalChannel: emailChannel };
        }
        await settleNotification(client, notificationId, {
          status: 'sent',
          finalChannel: emailChannel,
          smtpMessageId,
          settledAt: dependencies.clock(),
          afterSend: true,
        });
        await recordAuditEvent(client, settlementTrace(notification, 'notification.sent', { channel: emailChannel }));
        return { status: 'sent', finalChannel: emailChannel };
      });
      return retryOnConnectionLoss(record, deadline, (error) =>
        log.warn('Recording a sent notification failed; retrying', { notificationId, reason: (error as Error).message }),
      );
    },

    /** Gives up emailing after the retry window and leaves the notice to the yearly statement (activity). */
    async fallBackToStatement(input: { notificationId: string; reason: string }): Promise<NotificationSettlement> {
      return settleWithoutEmail(input.notificationId, 'queued-for-statement', input.reason);
    },
  };
}

function settlementOf(notification: StoredNotification): NotificationSettlement {
  if (notification.status === 'pending') {
    throw new Error(`Notification ${notification.id} is still pending`);
  }
  return { status: notification.status, finalChannel: notification.finalChannel ?? 'none' };
}
