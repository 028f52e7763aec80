import type { PoolClient } from 'pg';
import type { DeliveryAccepted, Rejection } from '../contracts/delivery-result';
import type { z } from 'zod';
import { documentRequestSchema, type DocumentRequest } from '../contracts/document-request';
import { messageRequestSchema, type MessageRequest } from '../contracts/message-request';
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
import { insertDocument, insertMessage, isHiddenFromPatient } from '../store/items';
import { withTransaction } from '../store/transaction';
import type { ActivityDependencies, VisibilityDelays } from './activity-dependencies';
import { planNotification } from './plan-notification';
import { INVALID_REQUEST_PATIENT_REF, recheckRequest } from './recheck-request';

/**
 * The decision on a professional's item: accepted with its planned notification, or rejected. For a document
 * hidden from the patient, `hiddenFromPatient` carries the delays the workflow waits before its notices.
 */
type RecordedDecision = (DeliveryAccepted & { notificationId: string | null; hiddenFromPatient: VisibilityDelays | null }) | Rejection;

/** The decision on an item, with the patient's pseudonymous reference, by which operators search runs. */
export type ItemDecision = RecordedDecision & { patientRef: string };

interface ItemKind<Request> {
  kind: 'message' | 'document';
  /** Audit action of an accepted or rejected item. */
  action: string;
  outcome: DeliveryAccepted['outcome'];
  actor: (request: Request) => { rpps: string; name: string };
  insert: (client: PoolClient, patientRef: string, request: Request, at: Date) => Promise<void>;
  /** Contract of the request, checked again in the worker. */
  schema: z.ZodType;
  hiddenFromPatient: (request: Request) => boolean;
}

const messageKind: ItemKind<MessageRequest> = {
  kind: 'message',
  action: 'message.received',
  outcome: 'delivered',
  actor: (request) => request.sender,
  insert: insertMessage,
  schema: messageRequestSchema,
  hiddenFromPatient: () => false,
};

const documentKind: ItemKind<DocumentRequest> = {
  kind: 'document',
  action: 'document.fed',
  outcome: 'stored',
  actor: (request) => request.author,
  insert: insertDocument,
  schema: documentRequestSchema,
  hiddenFromPatient: isHiddenFromPatient,
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
    const invalid = recheckRequest(itemKind.schema, request);
    if (invalid) {
      return { ...invalid, patientRef: INVALID_REQUEST_PATIENT_REF };
    }

    const patientRef = patientRefOf(request.ins, dependencies.pseudonymKey);
    const dedupKey = `${itemKind.kind}:${request.id}:accept`;
    const notificationId = `${itemKind.kind}-${request.id}`;
    const actor = itemKind.actor(request);

    const decision = await withTransaction(dependencies.pool, async (client): Promise<RecordedDecision> => {
      const recorded = await findRecordedOutcome(client, dedupKey);
      if (recorded) {
        return decisionFromRecord(request.id, itemKind.outcome, recorded, notificationId, dependencies.visibilityDelays);
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

      // A document hidden from the patient is neither notified nor shown in the history until it is revealed.
      const hidden = itemKind.hiddenFromPatient(request);
      const accepted = {
        ...trace,
        outcome: 'accepted' as const,
        errorCode: null,
        visibleToPatient: !hidden,
      };
      if (hidden) {
        await recordAuditEvent(client, { ...accepted, details: { notification: 'none', readableByPatient: false, hidden: true } });
        return {
          outcome: itemKind.outcome,
          id: request.id,
          notification: 'none',
          readableByPatient: false,
          notificationId: null,
          hiddenFromPatient: dependencies.visibilityDelays,
        };
      }

      // The item's history entry comes before the entry of its notice.
      const { channel } = notificationChannelOf(snapshot);
      if (channel === 'none') {
        throw new Error(`Invalid account machine meta: status ${String(snapshot.value)} accepts items without a notification rule`);
      }
      await recordAuditEvent(client, { ...accepted, details: { notification: channel, readableByPatient: rule.readableByPatient } });
      const planned = await planNotification(client, {
        id: notificationId,
        patientRef,
        subjectKind: itemKind.kind,
        subjectId: request.id,
        account: snapshot,
        at: now,
      });

      return {
        outcome: itemKind.outcome,
        id: request.id,
        notification: planned.channel,
        readableByPatient: rule.readableByPatient,
        notificationId: planned.notificationId,
        hiddenFromPatient: null,
      };
    });
    return { ...decision, patientRef };
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
  outcome: DeliveryAccepted['outcome'],
  recorded: { outcome: 'accepted' | 'rejected'; errorCode: string | null; details: Record<string, unknown> },
  notificationId: string,
  visibilityDelays: VisibilityDelays,
): RecordedDecision {
  if (recorded.outcome === 'rejected') {
    return rejection(id, recorded.errorCode as DeliveryRejectionCode);
  }
  const channel = recorded.details.notification as DeliveryAccepted['notification'];
  const hidden = recorded.details.hidden === true;
  return {
    outcome,
    id,
    notification: channel,
    readableByPatient: recorded.details.readableByPatient === true,
    notificationId: channel === 'yearly-statement' || hidden ? null : notificationId,
    hiddenFromPatient: hidden ? visibilityDelays : null,
  };
}
