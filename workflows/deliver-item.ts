import { allHandlersFinished, condition, log, setHandler } from '@temporalio/workflow';
import type { ItemDecision } from '../activities/accept-item';
import type { DeliveryAccepted, DeliveryResult } from '../contracts/delivery-result';
import { decisionUpdate } from './decision-update';
import { notifyPatient } from './notify-patient';
import { revealWhenDue } from './reveal-when-due';
import { rejectionFailure } from './rejection-failure';
import { recordDecisionAttributes, recordNoticeAttributes } from './record-decision-attributes';

function publicDecision(decision: Exclude<ItemDecision, { outcome: 'rejected' }>): DeliveryAccepted {
  return {
    outcome: decision.outcome,
    id: decision.id,
    notification: decision.notification,
    readableByPatient: decision.readableByPatient,
  };
}

/**
 * Runs the common course of a message and a document: return the decision to the professional as soon as the
 * item is stored or rejected, then notify the patient durably.
 */
export async function deliverItem(kind: 'message' | 'document', accept: () => Promise<ItemDecision>): Promise<DeliveryResult> {
  let decision: ItemDecision | undefined;
  setHandler(decisionUpdate, async () => {
    await condition(() => decision !== undefined);
    if (decision!.outcome === 'rejected') {
      throw rejectionFailure(decision!);
    }
    return publicDecision(decision!);
  });

  decision = await accept();
  if (decision.outcome === 'rejected') {
    recordDecisionAttributes({ patientRef: decision.patientRef, outcome: 'rejected', errorCode: decision.errorCode });
    log.info('Item rejected', { kind, itemId: decision.id, errorCode: decision.errorCode });
    await condition(allHandlersFinished);
    throw rejectionFailure(decision);
  }
  recordDecisionAttributes({ patientRef: decision.patientRef, outcome: decision.outcome, notification: decision.notification });
  log.info('Item accepted', { kind, itemId: decision.id, notification: decision.notification });

  // A document hidden from the patient is notified when it becomes visible, not now.
  const settlement = decision.hiddenFromPatient
    ? await revealWhenDue(decision.id, decision.hiddenFromPatient)
    : await notifyPatient({ channel: decision.notification, notificationId: decision.notificationId });

  recordNoticeAttributes(settlement);
  await condition(allHandlersFinished);
  return { ...publicDecision(decision), notificationStatus: settlement.status, finalChannel: settlement.finalChannel };
}
