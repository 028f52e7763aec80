import { describe, expect, it } from 'vitest';
import type { AccountEvent, AccountStatus } from '../machines/account-machine';
import {
  applyAccountEvent,
  notificationChannelOf,
  persistAccount,
  restoreAccountSnapshot,
  statusRulesOf,
  unknownAccountSnapshot,
  type AccountSnapshot,
} from '../machines/account-snapshot';

const events: Record<AccountEvent['type'], AccountEvent> = {
  'account.opening': { type: 'account.opening', amEmail: 'am@example.org' },
  'account.created': { type: 'account.created', amEmail: 'am@example.org' },
  'account.activated': { type: 'account.activated', personalEmail: 'perso@example.org' },
  'account.opposed': { type: 'account.opposed' },
  'account.closed': { type: 'account.closed', reason: 'holder-request' },
};

/** Drives the machine from the unknown state through the given events, each of which must be accepted. */
function reach(...path: AccountEvent[]): AccountSnapshot {
  let snapshot = unknownAccountSnapshot();
  for (const event of path) {
    const result = applyAccountEvent(snapshot, event);
    if (!result.accepted) {
      throw new Error(`${event.type} rejected in ${String(snapshot.value)}`);
    }
    snapshot = result.next;
  }
  return snapshot;
}

const snapshots: Record<AccountStatus | 'unknown', () => AccountSnapshot> = {
  unknown: () => reach(),
  opening: () => reach(events['account.opening']),
  created: () => reach(events['account.created']),
  activated: () => reach(events['account.created'], events['account.activated']),
  opposed: () => reach(events['account.opposed']),
  closed: () => reach(events['account.created'], events['account.closed']),
};

/** Expected target of each event from each state; absent means the event is rejected there. */
const transitions: Record<AccountStatus | 'unknown', Partial<Record<AccountEvent['type'], AccountStatus>>> = {
  unknown: { 'account.opening': 'opening', 'account.created': 'created', 'account.opposed': 'opposed' },
  opening: { 'account.created': 'created', 'account.opposed': 'opposed', 'account.closed': 'closed' },
  created: { 'account.activated': 'activated', 'account.opposed': 'opposed', 'account.closed': 'closed' },
  activated: { 'account.closed': 'closed' },
  opposed: {},
  closed: {},
};

describe('account machine transitions', () => {
  for (const [state, targets] of Object.entries(transitions) as Array<[AccountStatus | 'unknown', (typeof transitions)['unknown']]>) {
    for (const event of Object.values(events)) {
      const target = targets[event.type];
      it(`${event.type} in ${state} ${target ? `goes to ${target}` : 'is rejected'}`, () => {
        const result = applyAccountEvent(snapshots[state](), event);
        if (target) {
          expect(result.accepted).toBe(true);
          expect(result.accepted ? result.next.value : null).toBe(target);
        } else {
          expect(result.accepted).toBe(false);
        }
      });
    }
  }

  it('records the email addresses and the closure reason in the context', () => {
    const activated = snapshots.activated();
    expect(activated.context).toEqual({ amEmail: 'am@example.org', personalEmail: 'perso@example.org', closureReason: null });

    const closed = applyAccountEvent(activated, { type: 'account.closed', reason: 'death' });
    expect(closed.accepted).toBe(true);
    expect(closed.accepted ? closed.next.context.closureReason : null).toBe('death');
  });

  it('survives a store and restore round trip', () => {
    const activated = snapshots.activated();
    const restored = restoreAccountSnapshot(JSON.parse(JSON.stringify(persistAccount(activated))));
    expect(restored.value).toBe('activated');
    expect(restored.context).toEqual(activated.context);
    expect(restored.can(events['account.closed'])).toBe(true);
    expect(restored.can(events['account.activated'])).toBe(false);
  });

  it('has no stored form for the unknown state', () => {
    expect(() => persistAccount(unknownAccountSnapshot())).toThrow(/unknown state/);
  });
});

describe('reference table in the machine meta', () => {
  it.each([
    ['activated', { accepted: true, readableByPatient: true }, { accepted: true, readableByPatient: true }, 'personal-email'],
    ['created', { accepted: true, readableByPatient: false }, { accepted: true, readableByPatient: false }, 'am-email-else-yearly-statement'],
    ['opposed', { accepted: false, rejection: 'PATIENT_OPPOSED' }, { accepted: false, rejection: 'DMP_CLOSED' }, 'none'],
    ['closed', { accepted: false, rejection: 'ACCOUNT_CLOSED' }, { accepted: false, rejection: 'DMP_CLOSED' }, 'none'],
    ['opening', { accepted: false, rejection: 'ACCOUNT_NOT_OPEN' }, { accepted: false, rejection: 'ACCOUNT_NOT_OPEN' }, 'none'],
    ['unknown', { accepted: false, rejection: 'PATIENT_UNKNOWN' }, { accepted: false, rejection: 'PATIENT_UNKNOWN' }, 'none'],
  ] as const)('%s: message, document and notification rules', (state, message, document, notification) => {
    const rules = statusRulesOf(snapshots[state]());
    expect(rules.message).toEqual(message);
    expect(rules.document).toEqual(document);
    expect(rules.notification).toBe(notification);
  });
});

describe('notificationChannelOf', () => {
  it('uses the personal email of an activated account', () => {
    expect(notificationChannelOf(snapshots.activated())).toEqual({ channel: 'personal-email', address: 'perso@example.org' });
  });

  it('uses the Assurance Maladie email of a created account', () => {
    expect(notificationChannelOf(snapshots.created())).toEqual({ channel: 'am-email', address: 'am@example.org' });
  });

  it('falls back to the yearly statement for a created account without email', () => {
    const created = reach({ type: 'account.created', amEmail: null });
    expect(notificationChannelOf(created)).toEqual({ channel: 'yearly-statement', address: null });
  });

  it.each(['opposed', 'closed', 'opening', 'unknown'] as const)('notifies nobody for %s', (state) => {
    expect(notificationChannelOf(snapshots[state]()).channel).toBe('none');
  });
});
