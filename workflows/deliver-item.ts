import {
  type ActivityOptions,
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setHandler,
  TimeoutFailure,
} from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import type { ItemDecision } from '../activities/accept-item';
import type { NotificationSettlement } from '../activities/send-notification';
import type { DeliveryAccepted, DeliveryResult } from '../contracts/delivery-result';
import { decisionUpdate } from './decision-update';

/** Options of the activities that store an item: one short transaction, retried across a database restart. */
export const STORE_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/**
 * Emails are retried with backoff for up to two days while the SMTP relay is down or replies 4xx. After that
 * the notice falls back to the yearly statement. Permanent SMTP failures fall back at once (in the activity).
 */
const { sendNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 days',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const { fallBackToStatement } = proxyActivities<Activities>(STORE_ACTIVITY_OPTIONS);

/** Converts a rejection into the non-retryable failure a professional's software receives. */
function rejectionFailure(decision: Extract<ItemDecision, { outcome: 'rejected' }>): ApplicationFailure {
  return ApplicationFailure.create({
    type: decision.errorCode,
    message: decision.message,
    nonRetryable: true,
    details: [{ id: decision.id, errorCode: decision.errorCode }],
  });
}

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
    log.info('Item rejected', { kind, itemId: decision.id, errorCode: decision.errorCode });
    await condition(allHandlersFinished);
    throw rejectionFailure(decision);
  }
  log.info('Item accepted', { kind, itemId: decision.id, notification: decision.notification });

  const settlement = await notify(decision);

  await condition(allHandlersFinished);
  return { ...publicDecision(decision), notificationStatus: settlement.status, finalChannel: settlement.finalChannel };
}

async function notify(decision: Exclude<ItemDecision, { outcome: 'rejected' }>): Promise<NotificationSettlement> {
  if (decision.notificationId === null) {
    return { status: 'queued-for-statement', finalChannel: 'yearly-statement' };
  }

  try {
    return await sendNotification({ notificationId: decision.notificationId });
  } catch (error) {
    // Only running out of the retry window is recovered here; any other failure is a bug for operators to see.
    if (error instanceof ActivityFailure && error.cause instanceof TimeoutFailure) {
      log.warn('Notification email kept failing; falling back to the yearly statement', { itemId: decision.id });
      return fallBackToStatement({ notificationId: decision.notificationId, reason: 'email-retry-window-elapsed' });
    }
    throw error;
  }
}
