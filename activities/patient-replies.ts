import { ApplicationFailure, log } from '@temporalio/activity';
import type { Rejection } from '../contracts/delivery-result';
import type { ConversationEndedRequest, ReplyRequest } from '../contracts/patient-requests';
import { contentIdOf, patientRefOf } from '../domain/patient-ref';
import { REJECTION_MESSAGES, type RejectionCode } from '../domain/rejections';
import { describeMailFailure, isPermanentMailFailure } from '../mail/smtp-failure';
import { restoreAccountSnapshot, statusOf } from '../machines/account-snapshot';
import { loadAccount } from '../store/accounts';
import { findRecordedOutcome, recordAuditEvent } from '../store/audit-trail';
import { endConversation, insertReply, loadMessage } from '../store/patient-space';
import { withTransaction } from '../store/transaction';
import type { ActivityDependencies } from './activity-dependencies';

/** Error type of a reply the professional's server refused for good; the reply stays recorded as pending. */
export const REPLY_UNDELIVERABLE = 'REPLY_UNDELIVERABLE';

function rejection(id: string, code: RejectionCode): Rejection {
  return { outcome: 'rejected', id, errorCode: code, message: REJECTION_MESSAGES[code] };
}

const HOLDER = { actorType: 'patient', actorId: 'holder', actorName: 'Titulaire du profil' } as const;

/** Builds the activities of the holder's replies and of the end of conversations. */
export function createPatientReplyActivities(dependencies: ActivityDependencies) {
  return {
    /**
     * Records the holder's reply to a message, with its trace, when the account is activated, the message is in
     * this mailbox and its conversation is open with a secure messaging address (activity).
     */
    async acceptReply(request: ReplyRequest): Promise<{ outcome: 'replied'; id: string } | Rejection> {
      const patientRef = patientRefOf(request.ins, dependencies.pseudonymKey);
      const dedupKey = `reply:${request.id}:accept`;

      return withTransaction(dependencies.pool, async (client) => {
        const recorded = await findRecordedOutcome(client, dedupKey);
        if (recorded) {
          return recorded.outcome === 'accepted' ? { outcome: 'replied', id: request.id } : rejection(request.id, recorded.errorCode as RejectionCode);
        }

        const now = dependencies.clock();
        const trace = {
          dedupKey,
          occurredAt: now,
          patientRef,
          ...HOLDER,
          action: 'message.replied',
          subjectKind: 'message' as const,
          subjectId: request.messageId,
        };
        const reject = async (code: RejectionCode) => {
          await recordAuditEvent(client, { ...trace, outcome: 'rejected', errorCode: code, visibleToPatient: false, details: { replyId: request.id } });
          return rejection(request.id, code);
        };

        const account = await loadAccount(client, patientRef);
        if (!account) {
          return reject('PATIENT_UNKNOWN');
        }
        if (statusOf(restoreAccountSnapshot(account.persisted)) !== 'activated') {
          return reject('ACCOUNT_NOT_ACTIVATED');
        }
        const message = await loadMessage(client, patientRef, request.messageId);
        if (!message) {
          return reject('MESSAGE_NOT_FOUND');
        }
        if (message.conversationEnded || !message.senderMssanteAddress) {
          return reject('REPLY_BLOCKED');
        }

        await insertReply(
          client,
          { id: request.id, messageId: request.messageId, patientRef, body: request.body, recipient: message.senderMssanteAddress },
          now,
        );
        await recordAuditEvent(client, { ...trace, outcome: 'accepted', errorCode: null, visibleToPatient: true, details: { replyId: request.id } });
        return { outcome: 'replied', id: request.id };
      });
    },

    /**
     * Sends a recorded reply to the professional's secure messaging address (activity). Transient SMTP failures
     * are retried by Temporal; a permanent one fails the workflow for operators, the reply staying pending.
     */
    async sendReply(input: { replyId: string }): Promise<void> {
      const reply = await dependencies.pool.query<{ body: string; recipient: string; status: string; subject: string; message_id: string }>(
        `SELECT r.body, r.recipient, r.status, m.subject, m.id AS message_id FROM replies r JOIN messages m ON m.id = r.message_id
         WHERE r.id = $1`,
        [input.replyId],
      );
      const row = reply.rows[0];
      if (!row) {
        throw ApplicationFailure.nonRetryable(`Reply ${input.replyId} not found`, 'REPLY_NOT_FOUND');
      }
      if (row.status === 'sent') {
        return;
      }

      // A reply is a secure message between the holder and their professional, so it carries its text. The
      // original message's id lets the professional's software attach it to the conversation.
      try {
        await dependencies.mailSender.send({
          messageId: `<${contentIdOf(`reply:${input.replyId}`, dependencies.pseudonymKey)}@replies.monespacesante.example>`,
          from: dependencies.mailFrom,
          to: row.recipient,
          subject: `RE: ${row.subject}`,
          text: `Réponse de votre patient à votre message ${row.message_id} envoyé par Mon espace santé :\n\n${row.body}`,
        });
      } catch (error) {
        const reason = describeMailFailure(error);
        if (isPermanentMailFailure(error)) {
          throw ApplicationFailure.nonRetryable(`Reply ${input.replyId} rejected by the SMTP server: ${reason}`, REPLY_UNDELIVERABLE);
        }
        log.warn('Reply email failed; will retry', { replyId: input.replyId, reason });
        throw error;
      }
      await dependencies.pool.query("UPDATE replies SET status = 'sent', sent_at = $2 WHERE id = $1", [input.replyId, dependencies.clock()]);
    },

    /** Ends the conversation of a message at the request of its sender (activity), with its trace. */
    async endConversation(request: ConversationEndedRequest): Promise<{ outcome: 'ended'; id: string } | Rejection> {
      const patientRef = patientRefOf(request.ins, dependencies.pseudonymKey);
      const dedupKey = `conversation:${request.id}:end`;

      return withTransaction(dependencies.pool, async (client) => {
        const recorded = await findRecordedOutcome(client, dedupKey);
        if (recorded) {
          return recorded.outcome === 'accepted' ? { outcome: 'ended', id: request.id } : rejection(request.id, recorded.errorCode as RejectionCode);
        }

        const now = dependencies.clock();
        const trace = {
          dedupKey,
          occurredAt: now,
          patientRef,
          actorType: 'health-professional' as const,
          actorId: request.professional.rpps,
          actorName: request.professional.name,
          action: 'conversation.ended',
          subjectKind: 'message' as const,
          subjectId: request.messageId,
        };

        const message = await loadMessage(client, patientRef, request.messageId);
        const code: RejectionCode | null = !message
          ? 'MESSAGE_NOT_FOUND'
          : message.senderRpps !== request.professional.rpps
            ? 'CONVERSATION_NOT_OWNED'
            : null;
        if (code) {
          await recordAuditEvent(client, { ...trace, outcome: 'rejected', errorCode: code, visibleToPatient: false });
          return rejection(request.id, code);
        }

        await endConversation(client, request.messageId, now);
        await recordAuditEvent(client, { ...trace, outcome: 'accepted', errorCode: null, visibleToPatient: true });
        return { outcome: 'ended', id: request.id };
      });
    },
  };
}
