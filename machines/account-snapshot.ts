import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import {
  accountMachine,
  type AccountContext,
  type AccountEvent,
  type AccountStatus,
  type StatusRules,
} from './account-machine';

/** A snapshot of the account machine. */
export type AccountSnapshot = SnapshotFrom<typeof accountMachine>;

/** What the database stores of an account's machine state: enough to restore it. */
export interface PersistedAccount {
  status: AccountStatus;
  context: AccountContext;
}

/** The machine's state for an INS that has no stored account. */
export function unknownAccountSnapshot(): AccountSnapshot {
  const [snapshot] = initialTransition(accountMachine);
  return snapshot;
}

/** Restores the machine's state of a stored account. */
export function restoreAccountSnapshot(persisted: PersistedAccount): AccountSnapshot {
  return accountMachine.resolveState({ value: persisted.status, context: persisted.context });
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

/** The part of a snapshot to store: the status and the context. */
export function persistAccount(snapshot: AccountSnapshot): PersistedAccount {
  const status = snapshot.value;
  if (status === 'unknown') {
    throw new Error('An account in the unknown state has no stored form');
  }
  return { status, context: snapshot.context };
}

/** The row of the reference table for the snapshot's status, read from the state's meta. */
export function statusRulesOf(snapshot: AccountSnapshot): StatusRules {
  const rules = Object.values(snapshot.getMeta())[0];
  if (!rules) {
    throw new Error(`State ${String(snapshot.value)} of the account machine has no meta`);
  }
  return rules;
}

/** A notification channel actually chosen for one item. */
export type NotificationChannel = 'personal-email' | 'am-email' | 'yearly-statement' | 'none';

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
