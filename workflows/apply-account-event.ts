import { ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import type { IdentifiedAccountEvent } from '../contracts/account-events';
import type { AccountEventResult } from '../contracts/delivery-result';

/** One database transaction; a version conflict with a concurrent event is retried. */
const { applyAccountEvent: applyEventActivity } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Workflow: changes an account's status through the account machine, or rejects the event. */
export async function applyAccountEvent(request: IdentifiedAccountEvent): Promise<AccountEventResult> {
  const result = await applyEventActivity(request);

  if (result.outcome === 'rejected') {
    log.info('Account event rejected', { eventId: result.id, errorCode: result.errorCode });
    throw ApplicationFailure.create({
      type: result.errorCode,
      message: result.message,
      nonRetryable: true,
      details: [{ id: result.id, errorCode: result.errorCode }],
    });
  }

  log.info('Account event applied', { eventId: result.id, status: result.status });
  return result;
}
