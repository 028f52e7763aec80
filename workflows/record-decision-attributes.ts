import { upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes } from './search-attributes';

/** Search attribute values of a decision; `notification` is set when a notice is planned. */
export interface DecisionAttributes {
  patientRef: string;
  outcome: string;
  errorCode?: string;
  notification?: string;
}

/**
 * Sets the search attributes of a decision in one upsert, so that a run adds one event to its history. A
 * planned notice starts as `pending`: a run still `pending` after a minute is retrying its email.
 */
export function recordDecisionAttributes(decision: DecisionAttributes): void {
  upsertSearchAttributes([
    { key: searchAttributes.patientRef, value: decision.patientRef },
    { key: searchAttributes.outcome, value: decision.outcome },
    ...(decision.errorCode !== undefined ? [{ key: searchAttributes.errorCode, value: decision.errorCode }] : []),
    ...(decision.notification !== undefined
      ? [
          { key: searchAttributes.notificationChannel, value: decision.notification },
          { key: searchAttributes.notificationStatus, value: 'pending' },
        ]
      : []),
  ]);
}

/** Sets the final status and channel of a notice once it is settled. */
export function recordNoticeAttributes(settlement: { status: string; finalChannel: string }): void {
  upsertSearchAttributes([
    { key: searchAttributes.notificationStatus, value: settlement.status },
    { key: searchAttributes.notificationChannel, value: settlement.finalChannel },
  ]);
}
