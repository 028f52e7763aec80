import type { PoolClient } from 'pg';
import type { DeliveryAccepted, Rejection } from '../contracts/delivery-result';
import type { DocumentRequest } from '../contracts/document-request';
import type { MessageRequest } from '../contracts/message-request';
import { patientRefOf } from '../domain/patient-ref';
import { REJECTION_MESSAGES, type DeliveryRejectionCode } from '../domain/rejections';
import {
  notificationChannelOf,
  restoreAccountSnapshot,
  statusRulesOf,
  unknownAccountSnapshot,
} from '../machines/account-snapshot';
import { loadAccount } from '../store/accounts';
import { findRecordedOutcome, recordAuditEvent } from '../store/audit-trail';
import { insertDocument, insertMessage } from '../store/items';
import { insertNotification } from '../store/notifications';
import { withTransaction } from '../store/transaction';
import type { ActivityDependencies } from './activity-dependencies';

/** The decision on a professional's item: accepted with its planned notification, or rejected. */
export type ItemDecision = (DeliveryAccepted & { notificationId: string | null }) | Rejection;

interface ItemKind<Request> {
  kind: 'message' | 'document';
  /** Audit action of an accepted or rejected item. */
  action: string;
  outcome: DeliveryAccepted['outcome'];
  actor: (request: Request) => { rpps: string; name: string };
  insert: (client: PoolClient, patientRef: string, request: Request, at: Date) => Promise<void>;
}

const messageKind: ItemKind<MessageRequest> = {
  kind: 'message',
  action: 'message.received',
  outcome: 'delivered',
  actor: (request) => request.sender,
  insert: insertMessage,
};

const documentKind: ItemKind<DocumentRequest> = {
  kind: 'document',
  action: 'document.fed',
  outcome: 'stored',
  actor: (request) => request.author,
  insert: insertDocument,
};

/** Builds the activities that accept or reject a message or a document according to the account's status. */
export function createAcceptItemActivities(dependencies: ActivityDependencies) {
  /**
   * Stores the item, plans its notification and writes its trace in one transaction, or writes only the trace
   * of the rejection. A retry after a commit finds the trace and returns the first decision.
   */
  async function acceptItem<Request extends MessageRequest | DocumentRequest>(
    itemKind: ItemKind<Request>,
    request: Request,
  ): Promise<ItemDecision> {
    const patientRef = patientRefOf(request.ins, dependencies.pseudonymKey);
    const dedupKey = `${itemKind.kind}:${request.id}:accept`;
    const notificationId = `${itemKind.kind}-${request.id}`;
    const actor = itemKind.actor(request);

    return withTransaction(dependencies.pool, async (client) => {
      const recorded = await findRecordedOutcome(client, dedupKey);
      if (recorded) {
        return decisionFromRecord(request.id, itemKind, recorded, notificationId);
      }

      const account = await loadAccount(client, patientRef);
      const snapshot = account ? restoreAccountSnapshot(account.persisted) : unknownAccountSnapshot();
      const rule = statusRulesOf(snapshot)[itemKind.kind];
      const now = dependencies.clock();
      const trace = {
        dedupKey,
        occurredAt: now,
        patientRef,
        actorType: 'health-professional' as const,
        actorId: actor.rpps,
        actorName: actor.name,
        action: itemKind.action,
        subjectKind: itemKind.kind,
        subjectId: request.id,
      };

      if (!rule.accepted) {
        await recordAuditEvent(client, {
          ...trace,
          outcome: 'rejected',
          errorCode: rule.rejection,
          visibleToPatient: false,
          details: { status: String(snapshot.value) },
        });
        return rejection(request.id, rule.rejection);
      }

      await itemKind.insert(client, patientRef, request, now);

      const { channel } = notificationChannelOf(snapshot);
      if (channel === 'none') {
        throw new Error(`Invalid account machine meta: status ${String(snapshot.value)} accepts items without a notification rule`);
      }
      await insertNotification(
        client,
        {
          id: notificationId,
          patientRef,
          subjectKind: itemKind.kind,
          subjectId: request.id,
          channel,
          status: channel === 'yearly-statement' ? 'queued-for-statement' : 'pending',
        },
        now,
      );

      await recordAuditEvent(client, {
        ...trace,
        outcome: 'accepted',
        errorCode: null,
        visibleToPatient: true,
        details: { notification: channel, readableByPatient: rule.readableByPatient },
      });
      if (channel === 'yearly-statement') {
        await recordAuditEvent(client, {
          ...trace,
          dedupKey: `notification:${notificationId}:settled`,
          actorType: 'system',
          actorId: 'mon-espace-sante',
          actorName: 'Mon espace santé',
          action: 'notification.queued-for-statement',
          outcome: 'accepted',
          errorCode: null,
          visibleToPatient: true,
          details: { channel },
        });
      }

      return {
        outcome: itemKind.outcome,
        id: request.id,
        notification: channel,
        readableByPatient: rule.readableByPatient,
        notificationId: channel === 'yearly-statement' ? null : notificationId,
      };
    });
  }

  return {
    /** Accepts or rejects a professional's message (activity). */
    async acceptMessage(request: MessageRequest): Promise<ItemDecision> {
      return acceptItem(messageKind, request);
    },

    /** Accepts or rejects a document fed into the DMP (activity). */
    async acceptDocument(request: DocumentRequest): Promise<ItemDecision> {
      return acceptItem(documentKind, request);
    },
  };
}

function rejection(id: string, code: DeliveryRejectionCode): Rejection {
  return { outcome: 'rejected', id, errorCode: code, message: REJECTION_MESSAGES[code] };
}

function decisionFromRecord(
  id: string,
  itemKind: ItemKind<never>,
  recorded: { outcome: 'accepted' | 'rejected'; errorCode: string | null; details: Record<string, unknown> },
  notificationId: string,
): ItemDecision {
  if (recorded.outcome === 'rejected') {
    return rejection(id, recorded.errorCode as DeliveryRejectionCode);
  }
  const channel = recorded.details.notification as DeliveryAccepted['notification'];
  return {
    outcome: itemKind.outcome,
    id,
    notification: channel,
    readableByPatient: recorded.details.readableByPatient === true,
    notificationId: channel === 'yearly-statement' ? null : notificationId,
  };
}
