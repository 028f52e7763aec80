import { initialTransition, transition, type SnapshotFrom, type StateValue } from 'xstate';
import type { RejectionCode } from '../domain/rejections';
import {
  accountMachine,
  type AccountContext,
  type AccountEvent,
  type AccountStatus,
  type NestedStateMeta,
  type StatusRules,
} from './account-machine';

/** A snapshot of the account machine. */
export type AccountSnapshot = SnapshotFrom<typeof accountMachine>;

/** Stored form of an account's machine state: enough to restore it. */
export interface PersistedAccount {
  status: AccountStatus;
  /** Full state value, with the nested state of `closed`; absent in rows written before nested states existed. */
  value?: StateValue;
  context: AccountContext;
}

/** Returns the machine's state for an INS that has no stored account. */
export function unknownAccountSnapshot(): AccountSnapshot {
  const [snapshot] = initialTransition(accountMachine);
  return snapshot;
}

/** Restores the machine's state of a stored account. */
export function restoreAccountSnapshot(persisted: PersistedAccount): AccountSnapshot {
  return accountMachine.resolveState({ value: persisted.value ?? persisted.status, context: persisted.context });
}

/** The outcome of offering an event to the machine. */
export type AccountTransition =
  | { accepted: true; next: AccountSnapshot; persisted: PersistedAccount }
  | { accepted: false; current: AccountSnapshot };

/**
 * Offers an event to the machine. An event the current status does not handle is not accepted, and the
 * caller reports it; nothing changes.
 */
export function applyAccountEvent(current: AccountSnapshot, event: AccountEvent): AccountTransition {
  if (!current.can(event)) {
    return { accepted: false, current };
  }

  const [next] = transition(accountMachine, current, event);
  return { accepted: true, next, persisted: persistAccount(next) };
}

/** Returns the status of a snapshot: its top-level state, `unknown` included. */
export function statusOf(snapshot: AccountSnapshot): AccountStatus | 'unknown' {
  const value = snapshot.value;
  return typeof value === 'string' ? value : (Object.keys(value)[0] as AccountStatus);
}

/** Returns the part of a snapshot to store: the status, the full state value and the context. */
export function persistAccount(snapshot: AccountSnapshot): PersistedAccount {
  const status = statusOf(snapshot);
  if (status === 'unknown') {
    throw new Error('An account in the unknown state has no stored form');
  }
  return { status, value: snapshot.value, context: snapshot.context };
}

/** Returns the row of the reference table for the snapshot's status, read from the top-level state's meta. */
export function statusRulesOf(snapshot: AccountSnapshot): StatusRules {
  const rules = snapshot.getMeta()[`account.${statusOf(snapshot)}`];
  if (!rules || !('label' in rules)) {
    throw new Error(`State ${statusOf(snapshot)} of the account machine has no reference table meta`);
  }
  return rules;
}

/**
 * Returns the code of an event the current state refuses on purpose, from the `eventRejections` meta of its nested
 * states (a pending deletion, a deceased holder), or null when the event simply does not apply.
 */
export function rejectionCodeOf(snapshot: AccountSnapshot, eventType: AccountEvent['type']): RejectionCode | null {
  for (const meta of Object.values(snapshot.getMeta()) as Array<StatusRules | NestedStateMeta>) {
    const code = 'eventRejections' in meta ? meta.eventRejections[eventType] : undefined;
    if (code) {
      return code;
    }
  }
  return null;
}

/** A notification channel chosen for one notice; `postal-letter` serves lifecycle notices only. */
export type NotificationChannel = 'personal-email' | 'am-email' | 'yearly-statement' | 'postal-letter' | 'none';

/** Chooses the channel for a new item, from the status's rule and the addresses the account holds. */
export function notificationChannelOf(snapshot: AccountSnapshot): { channel: NotificationChannel; address: string | null } {
  const rule = statusRulesOf(snapshot).notification;
  const { personalEmail, amEmail } = snapshot.context;

  switch (rule) {
    case 'personal-email':
      if (!personalEmail) {
        throw new Error('An activated account has no personal email address');
      }
      return { channel: 'personal-email', address: personalEmail };
    case 'am-email-else-yearly-statement':
      return amEmail ? { channel: 'am-email', address: amEmail } : { channel: 'yearly-statement', address: null };
    case 'none':
      return { channel: 'none', address: null };
  }
}
