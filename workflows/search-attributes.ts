import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Custom search attributes that operators filter runs by in the Temporal Web UI and CLI. They carry no INS, no
 * email address and no health content: the patient appears only through the pseudonymous reference.
 */
export const searchAttributes = {
  /** Pseudonymous patient reference (`pt-…`, a keyed hash of the INS). */
  patientRef: defineSearchAttributeKey('MesPatientRef', 'KEYWORD'),
  /** Outcome of the request: `delivered`, `stored`, `recorded`, `applied` or `rejected`. */
  outcome: defineSearchAttributeKey('MesOutcome', 'KEYWORD'),
  /** Stable code of a rejection, such as `PATIENT_OPPOSED`. */
  errorCode: defineSearchAttributeKey('MesErrorCode', 'KEYWORD'),
  /** Channel planned for the patient's notice: `personal-email`, `am-email`, `yearly-statement` or `none`. */
  notificationChannel: defineSearchAttributeKey('MesNotificationChannel', 'KEYWORD'),
  /** State of the notice: `pending` while it is being sent or retried, then its final status. */
  notificationStatus: defineSearchAttributeKey('MesNotificationStatus', 'KEYWORD'),
};

/** Every custom search attribute, by name, with its type, as a Temporal namespace must register them. */
export const SEARCH_ATTRIBUTE_DEFINITIONS = Object.values(searchAttributes).map((key) => ({ name: key.name, type: key.type }));
