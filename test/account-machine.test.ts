import { describe, expect, it } from 'vitest';
import type { AccountEvent, AccountStatus } from '../machines/account-machine';
import {
  applyAccountEvent,
  notificationChannelOf,
  persistAccount,
  rejectionCodeOf,
  statusOf,
  restoreAccountSnapshot,
  statusRulesOf,
  unknownAccountSnapshot,
  type AccountSnapshot,
} from '../machines/account-snapshot';

const CLOSED_AT = '2026-01-15T10:00:00.000Z';

const events: Record<AccountEvent['type'], AccountEvent> = {
  'account.opening': { type: 'account.opening', amEmail: 'am@example.org' },
  'account.created': { type: 'account.created', amEmail: 'am@example.org' },
  'account.activated': { type: 'account.activated', personalEmail: 'perso@example.org' },
  'account.opposed': { type: 'account.opposed' },
  'account.closed': { type: 'account.closed', reason: 'holder-request', at: CLOSED_AT },
  'account.deletion-requested': { type: 'account.deletion-requested' },
  'account.opposition-window-elapsed': { type: 'account.opposition-window-elapsed' },
  'account.purged': { type: 'account.purged', closedAt: CLOSED_AT },
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

const deathClosure: AccountEvent = { type: 'account.closed', reason: 'death', at: CLOSED_AT };

/** States to test from, by the name used in the table below. */
const snapshots = {
  unknown: () => reach(),
  opening: () => reach(events['account.opening']),
  created: () => reach(events['account.created']),
  activated: () => reach(events['account.created'], events['account.activated']),
  opposed: () => reach(events['account.opposed']),
  closed: () => reach(events['account.created'], events['account.closed']),
  'closed.deletionPending': () => reach(events['account.created'], events['account.closed'], events['account.deletion-requested']),
  'closed.purged': () => reach(events['account.created'], events['account.closed'], events['account.purged']),
  'closed.onDeath': () => reach(events['account.created'], deathClosure),
} satisfies Record<string, () => AccountSnapshot>;

/** Expected status after each event from each state; absent means the event is rejected there. */
const transitions: Record<keyof typeof snapshots, Partial<Record<AccountEvent['type'], AccountStatus>>> = {
  unknown: { 'account.opening': 'opening', 'account.created': 'created', 'account.opposed': 'opposed' },
  opening: {
    'account.created': 'created',
    'account.opposition-window-elapsed': 'created',
    'account.opposed': 'opposed',
    'account.closed': 'closed',
  },
  created: { 'account.activated': 'activated', 'account.opposed': 'opposed', 'account.closed': 'closed' },
  activated: { 'account.closed': 'closed' },
  opposed: { 'account.activated': 'activated' },
  closed: { 'account.activated': 'activated', 'account.deletion-requested': 'closed', 'account.purged': 'closed' },
  'closed.deletionPending': { 'account.purged': 'closed' },
  'closed.purged': { 'account.activated': 'activated' },
  'closed.onDeath': { 'account.purged': 'closed' },
};

describe('account machine transitions', () => {
  for (const [state, targets] of Object.entries(transitions) as Array<[keyof typeof snapshots, (typeof transitions)['unknown']]>) {
    for (const event of Object.values(events)) {
      const target = targets[event.type];
      it(`${event.type} in ${state} ${target ? `goes to ${target}` : 'is rejected'}`, () => {
        const result = applyAccountEvent(snapshots[state](), event);
        if (target) {
          expect(result.accepted).toBe(true);
          expect(result.accepted ? statusOf(result.next) : null).toBe(target);
        } else {
          expect(result.accepted).toBe(false);
        }
      });
    }
  }

  it('records the email addresses and the closure reason in the context', () => {
    const activated = snapshots.activated();
    expect(activated.context).toEqual({ amEmail: 'am@example.org', personalEmail: 'perso@example.org', closureReason: null, closedAt: null });

    const closed = applyAccountEvent(activated, deathClosure);
    expect(closed.accepted).toBe(true);
    expect(closed.accepted ? closed.next.context.closureReason : null).toBe('death');
    expect(closed.accepted ? closed.next.context.closedAt : null).toBe(CLOSED_AT);
  });

  it('purges only the closure it names', () => {
    const closed = snapshots.closed();
    expect(applyAccountEvent(closed, { type: 'account.purged', closedAt: '2020-01-01T00:00:00.000Z' }).accepted).toBe(false);
    expect(applyAccountEvent(closed, events['account.purged']).accepted).toBe(true);
  });

  it.each([
    ['closed.deletionPending', 'account.activated', 'DELETION_PENDING'],
    ['closed.onDeath', 'account.activated', 'HOLDER_DECEASED'],
    ['closed.onDeath', 'account.deletion-requested', 'HOLDER_DECEASED'],
    ['activated', 'account.opposed', null],
  ] as const)('%s refuses %s with %s', (state, eventType, code) => {
    const snapshot = snapshots[state]();
    expect(applyAccountEvent(snapshot, events[eventType]).accepted).toBe(false);
    expect(rejectionCodeOf(snapshot, eventType)).toBe(code);
  });

  it('survives a store and restore round trip', () => {
    const activated = snapshots.activated();
    const restored = restoreAccountSnapshot(JSON.parse(JSON.stringify(persistAccount(activated))));
    expect(restored.value).toBe('activated');
    expect(restored.context).toEqual(activated.context);
    expect(restored.can(events['account.closed'])).toBe(true);
    expect(restored.can(events['account.activated'])).toBe(false);
  });

  it('keeps the nested closed state across a round trip', () => {
    const pending = snapshots['closed.deletionPending']();
    const persisted = persistAccount(pending);
    expect(persisted.status).toBe('closed');

    const restored = restoreAccountSnapshot(JSON.parse(JSON.stringify(persisted)));
    expect(restored.value).toEqual({ closed: { byHolder: 'deletionPending' } });
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
