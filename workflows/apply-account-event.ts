import { allHandlersFinished, condition, log, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { AppliedAccountEvent, InternalAccountEvent } from '../activities/apply-account-event';
import type { Activities } from '../activities/create-activities';
import type { IdentifiedAccountEvent } from '../contracts/account-events';
import type { AccountEventResult, Rejection } from '../contracts/delivery-result';
import { STORE_ACTIVITY_OPTIONS } from './activity-options';
import { accountEventUpdate } from './decision-update';
import { recordDecisionAttributes } from './record-decision-attributes';
import { notifyPatient } from './notify-patient';
import { rejectionFailure } from './rejection-failure';

const {
  applyAccountEvent: applyEventActivity,
  sendOpeningNotice,
  planActivationSummary,
  planDeletionDone,
} = proxyActivities<Activities>(STORE_ACTIVITY_OPTIONS);

/** Applies an event the lifecycle sends itself; a refusal means the account moved on, which is not an error. */
async function applyInternal(event: InternalAccountEvent): Promise<AppliedAccountEvent | null> {
  const applied = await applyEventActivity(event);
  if ('outcome' in applied) {
    log.info('Lifecycle event no longer applies', { eventId: event.id, type: event.type, errorCode: applied.errorCode });
    return null;
  }
  return applied;
}

/**
 * Workflow: changes an account's status through the account machine, or rejects the event, and returns the
 * result at once through `accountEventUpdate`. It then runs the durable steps the event starts: the opening
 * notice and the 6-week opposition window, the activation summary, the 10-year archive retention after a
 * closure, or an express deletion and its confirmation.
 */
export async function applyAccountEvent(request: IdentifiedAccountEvent): Promise<AccountEventResult> {
  let answer: AppliedAccountEvent | Rejection | undefined;
  setHandler(accountEventUpdate, async () => {
    await condition(() => answer !== undefined);
    if ('outcome' in answer!) {
      throw rejectionFailure(answer!);
    }
    return answer!.result;
  });

  const { patientRef, ...made } = await applyEventActivity(request);
  recordDecisionAttributes('outcome' in made ? { patientRef, outcome: 'rejected', errorCode: made.errorCode } : { patientRef, outcome: 'applied' });
  answer = made;
  if ('outcome' in answer) {
    log.info('Account event rejected', { eventId: answer.id, errorCode: answer.errorCode });
    await condition(allHandlersFinished);
    throw rejectionFailure(answer);
  }
  const applied = answer;
  log.info('Account event applied', { eventId: request.id, status: applied.result.status });

  switch (request.type) {
    case 'account.opening':
      await notifyPatient(await sendOpeningNotice({ eventId: request.id, ins: request.ins, amEmail: request.amEmail, postalAddress: request.postalAddress }));
      await sleep(applied.delays.openingWindowMs);
      // An opposition during the window already moved the account: then the window's end changes nothing.
      await applyInternal({ type: 'account.opposition-window-elapsed', id: `${request.id}.window-elapsed`, ins: request.ins });
      break;

    case 'account.activated':
      await notifyPatient(await planActivationSummary({ eventId: request.id, ins: request.ins }));
      break;

    case 'account.closed':
      // The purge names this closure, so a reactivation, or a later closure, makes it change nothing.
      await sleep(applied.delays.archiveRetentionMs);
      await applyInternal({
        type: 'account.purged',
        id: `${request.id}.purged`,
        ins: request.ins,
        closedAt: applied.closedAt!,
        reason: 'retention-elapsed',
      });
      break;

    case 'account.deletion-requested': {
      await sleep(applied.delays.deletionDelayMs);
      const purged = await applyInternal({
        type: 'account.purged',
        id: `${request.id}.purged`,
        ins: request.ins,
        closedAt: applied.closedAt!,
        reason: 'deletion-requested',
      });
      if (purged) {
        await notifyPatient(await planDeletionDone({ eventId: request.id, ins: request.ins }));
      }
      break;
    }

    default:
      break;
  }

  await condition(allHandlersFinished);
  return applied.result;
}
