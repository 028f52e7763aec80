import { ApplicationFailure } from '@temporalio/activity';
import type { PoolClient } from 'pg';
import type { PostalAddress } from '../contracts/account-events';
import { patientRefOf } from '../domain/patient-ref';
import { openingNoticeLetter } from '../letters/opening-notice-letter';
import { restoreAccountSnapshot } from '../machines/account-snapshot';
import { loadAccount } from '../store/accounts';
import { recordAuditEvent } from '../store/audit-trail';
import { insertNotification, loadNotificationForUpdate } from '../store/notifications';
import { withTransaction } from '../store/transaction';
import type { ActivityDependencies } from './activity-dependencies';
import type { PlannedNotification } from './plan-notification';

/** Error type of an account that does not exist where a lifecycle step expects one; a bug, so not retried. */
export const ACCOUNT_NOT_FOUND = 'ACCOUNT_NOT_FOUND';

/** Returns the plan of a notice recorded by an earlier attempt, so that a retry plans nothing twice. */
async function plannedEarlier(client: PoolClient, notificationId: string): Promise<PlannedNotification | null> {
  const existing = await loadNotificationForUpdate(client, notificationId);
  if (!existing) {
    return null;
  }
  return { channel: existing.channel, notificationId: existing.status === 'pending' ? notificationId : null };
}

/** Builds the activities that send the notices of the account lifecycle: opening, activation and deletion. */
export function createLifecycleNoticeActivities(dependencies: ActivityDependencies) {
  return {
    /**
     * Sends the information notice of an opening (activity): planned as an email to the address on file at
     * Assurance Maladie, or written at once as a letter to the postal address, with the opposition deadline.
     */
    async sendOpeningNotice(input: {
      eventId: string;
      ins: string;
      amEmail: string | null;
      postalAddress?: PostalAddress;
    }): Promise<PlannedNotification> {
      const patientRef = patientRefOf(input.ins, dependencies.pseudonymKey);
      const notificationId = `opening-notice-${input.eventId}`;
      const now = dependencies.clock();
      const oppositionDeadline = new Date(now.getTime() + dependencies.lifecycleDelays.openingWindowMs);

      if (input.amEmail) {
        return withTransaction(dependencies.pool, async (client) => {
          const existing = await loadNotificationForUpdate(client, notificationId);
          if (!existing) {
            await insertNotification(
              client,
              {
                id: notificationId,
                patientRef,
                subjectKind: 'opening-notice',
                subjectId: input.eventId,
                channel: 'am-email',
                status: 'pending',
                recipient: input.amEmail,
                details: { oppositionDeadline: oppositionDeadline.toISOString() },
              },
              now,
            );
          }
          return { channel: 'am-email', notificationId };
        });
      }

      if (!input.postalAddress) {
        throw ApplicationFailure.nonRetryable(`Opening ${input.eventId} has neither an email nor a postal address`, 'INVALID_REQUEST');
      }
      // The letter is written before its record, under a stable name, so a retry rewrites the same file.
      await dependencies.letterSender.send(
        openingNoticeLetter({ id: notificationId, address: input.postalAddress, oppositionDeadline }),
      );
      await withTransaction(dependencies.pool, async (client) => {
        if (await loadNotificationForUpdate(client, notificationId)) {
          return;
        }
        await insertNotification(
          client,
          {
            id: notificationId,
            patientRef,
            subjectKind: 'opening-notice',
            subjectId: input.eventId,
            channel: 'postal-letter',
            status: 'sent',
            details: { oppositionDeadline: oppositionDeadline.toISOString() },
          },
          now,
        );
        await recordAuditEvent(client, {
          dedupKey: `notification:${notificationId}:settled`,
          occurredAt: now,
          patientRef,
          actorType: 'system',
          actorId: 'mon-espace-sante',
          actorName: 'Mon espace santé',
          action: 'notification.sent-by-post',
          subjectKind: 'opening-notice',
          subjectId: input.eventId,
          outcome: 'accepted',
          errorCode: null,
          visibleToPatient: true,
          details: { channel: 'postal-letter' },
        });
      });
      return { channel: 'postal-letter', notificationId: null };
    },

    /**
     * Plans the welcome email sent at activation, with the number of messages and documents received before it
     * (activity). Nothing is planned when nothing is waiting.
     */
    async planActivationSummary(input: { eventId: string; ins: string }): Promise<PlannedNotification> {
      const patientRef = patientRefOf(input.ins, dependencies.pseudonymKey);
      const notificationId = `activation-summary-${input.eventId}`;

      return withTransaction(dependencies.pool, async (client) => {
        const planned = await plannedEarlier(client, notificationId);
        if (planned) {
          return planned;
        }

        const counts = await client.query<{ messages: number; documents: number }>(
          `SELECT (SELECT count(*)::int FROM messages WHERE patient_ref = $1) AS messages,
                  (SELECT count(*)::int FROM documents WHERE patient_ref = $1 AND visible_to_patient_at IS NOT NULL) AS documents`,
          [patientRef],
        );
        const { messages, documents } = counts.rows[0]!;
        if (messages === 0 && documents === 0) {
          return { channel: 'none', notificationId: null };
        }
        await insertNotification(
          client,
          {
            id: notificationId,
            patientRef,
            subjectKind: 'activation-summary',
            subjectId: input.eventId,
            channel: 'personal-email',
            status: 'pending',
            details: { messages, documents },
          },
          dependencies.clock(),
        );
        return { channel: 'personal-email', notificationId };
      });
    },

    /**
     * Plans the email that confirms an express deletion (activity), to the personal address, else the one on
     * file at Assurance Maladie. Without either, no email can be sent.
     */
    async planDeletionDone(input: { eventId: string; ins: string }): Promise<PlannedNotification> {
      const patientRef = patientRefOf(input.ins, dependencies.pseudonymKey);
      const notificationId = `deletion-done-${input.eventId}`;

      return withTransaction(dependencies.pool, async (client) => {
        const planned = await plannedEarlier(client, notificationId);
        if (planned) {
          return planned;
        }
        const account = await loadAccount(client, patientRef);
        if (!account) {
          throw ApplicationFailure.nonRetryable(`Account for deletion ${input.eventId} not found`, ACCOUNT_NOT_FOUND);
        }
        const { personalEmail, amEmail } = restoreAccountSnapshot(account.persisted).context;
        const recipient = personalEmail ?? amEmail;
        if (!recipient) {
          return { channel: 'none', notificationId: null };
        }
        const channel = personalEmail ? 'personal-email' : 'am-email';
        await insertNotification(
          client,
          { id: notificationId, patientRef, subjectKind: 'deletion-done', subjectId: input.eventId, channel, status: 'pending', recipient },
          dependencies.clock(),
        );
        return { channel, notificationId };
      });
    },
  };
}
