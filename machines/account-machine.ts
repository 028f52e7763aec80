import { assign, setup } from 'xstate';
import type { DeliveryRejectionCode, RejectionCode } from '../domain/rejections';

/** Statuses of a Mon espace santé account, as stored in the database. */
export const ACCOUNT_STATUSES = ['opening', 'created', 'activated', 'opposed', 'closed'] as const;

/** A stored account status. `unknown` is the machine's state before any event and is never stored. */
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Rule of a status for a professional's message or document. */
export type DeliveryRule =
  | { accepted: true; readableByPatient: boolean }
  | { accepted: false; rejection: DeliveryRejectionCode };

/** Whether a professional may consult the DMP in this status. */
export type ConsultationRule = { allowed: true } | { allowed: false; rejection: DeliveryRejectionCode };

/**
 * Channel that notifies the patient that something new is waiting: the personal email given at activation, the email
 * Assurance Maladie knows (and with no such address the yearly postal activity statement), or nobody.
 */
export type NotificationRule = 'personal-email' | 'am-email-else-yearly-statement' | 'none';

/** One row of the reference table, carried by each state as its `meta`. */
export interface StatusRules {
  /** French label shown to professionals and patients. */
  label: string;
  message: DeliveryRule;
  document: DeliveryRule;
  consultation: ConsultationRule;
  notification: NotificationRule;
}

/** Per-event rejection codes of a nested state, for events it refuses on purpose (see `rejectionCodeOf`). */
export interface NestedStateMeta {
  eventRejections: Partial<Record<AccountEvent['type'], RejectionCode>>;
}

/** Data an account carries besides its status. */
export interface AccountContext {
  /** Email address on file at Assurance Maladie, given at opening or creation. */
  amEmail: string | null;
  /** Email address the holder gave at activation. */
  personalEmail: string | null;
  closureReason: 'holder-request' | 'death' | null;
  /** ISO time of the last closure: a retention timer purges only the closure it was started for. */
  closedAt: string | null;
}

/** Events that change an account; the first five mirror the `account.*` batch lines without the INS. */
export type AccountEvent =
  | { type: 'account.opening'; amEmail: string | null }
  | { type: 'account.created'; amEmail: string | null }
  | { type: 'account.activated'; personalEmail: string }
  | { type: 'account.opposed' }
  | { type: 'account.closed'; reason: 'holder-request' | 'death'; at: string }
  | { type: 'account.deletion-requested' }
  /** The 6-week opposition window ended without an opposition (sent by the opening workflow). */
  | { type: 'account.opposition-window-elapsed' }
  /** The archive of the closure at `closedAt` was purged (sent by the retention or deletion workflow). */
  | { type: 'account.purged'; closedAt: string };

const notifyNobody = 'none' satisfies NotificationRule;

const closedRules: StatusRules = {
  label: 'clôturé',
  message: { accepted: false, rejection: 'ACCOUNT_CLOSED' },
  document: { accepted: false, rejection: 'DMP_CLOSED' },
  consultation: { allowed: false, rejection: 'DMP_CLOSED' },
  notification: notifyNobody,
};

/**
 * The account lifecycle. Each status's `meta` is the row of the reference table for that status, so code reads
 * from the machine what a status allows (see `statusRulesOf`) instead of keeping a second table. The nested states of
 * `closed` carry the codes of the events they refuse on purpose.
 */
export const accountMachine = setup({
  types: {
    context: {} as AccountContext,
    events: {} as AccountEvent,
    meta: {} as StatusRules | NestedStateMeta,
  },
  guards: {
    isDeath: ({ event }) => event.type === 'account.closed' && event.reason === 'death',
    isCurrentClosure: ({ context, event }) => event.type === 'account.purged' && event.closedAt === context.closedAt,
  },
  actions: {
    recordAmEmail: assign({
      amEmail: ({ context, event }) => ('amEmail' in event ? event.amEmail : context.amEmail),
    }),
    recordPersonalEmail: assign({
      personalEmail: ({ context, event }) => ('personalEmail' in event ? event.personalEmail : context.personalEmail),
    }),
    recordClosure: assign({
      closureReason: ({ context, event }) => (event.type === 'account.closed' ? event.reason : context.closureReason),
      closedAt: ({ context, event }) => (event.type === 'account.closed' ? event.at : context.closedAt),
    }),
  },
}).createMachine({
  id: 'account',
  initial: 'unknown',
  context: { amEmail: null, personalEmail: null, closureReason: null, closedAt: null },
  states: {
    unknown: {
      description: 'No event has been received for this INS yet; nothing is stored.',
      meta: {
        label: 'inconnu',
        message: { accepted: false, rejection: 'PATIENT_UNKNOWN' },
        document: { accepted: false, rejection: 'PATIENT_UNKNOWN' },
        consultation: { allowed: false, rejection: 'PATIENT_UNKNOWN' },
        notification: notifyNobody,
      },
      on: {
        'account.opening': { target: 'opening', actions: 'recordAmEmail' },
        'account.created': { target: 'created', actions: 'recordAmEmail' },
        // An opposition may reach us before Assurance Maladie's opening notice is recorded.
        'account.opposed': { target: 'opposed' },
      },
    },
    opening: {
      description: 'Information notice sent; the 6-week opposition window runs.',
      meta: {
        label: "en cours d'ouverture",
        message: { accepted: false, rejection: 'ACCOUNT_NOT_OPEN' },
        document: { accepted: false, rejection: 'ACCOUNT_NOT_OPEN' },
        consultation: { allowed: false, rejection: 'ACCOUNT_NOT_OPEN' },
        notification: notifyNobody,
      },
      on: {
        'account.opposition-window-elapsed': { target: 'created' },
        'account.created': { target: 'created', actions: 'recordAmEmail' },
        'account.opposed': { target: 'opposed' },
        'account.closed': [
          { guard: 'isDeath', target: 'closed.onDeath', actions: 'recordClosure' },
          { target: 'closed.byHolder', actions: 'recordClosure' },
        ],
      },
    },
    created: {
      description: 'Opened automatically; the holder has never activated it.',
      meta: {
        label: 'créé, non activé',
        message: { accepted: true, readableByPatient: false },
        document: { accepted: true, readableByPatient: false },
        consultation: { allowed: true },
        notification: 'am-email-else-yearly-statement',
      },
      on: {
        'account.activated': { target: 'activated', actions: 'recordPersonalEmail' },
        // Objecting after the automatic creation closes the space as if it had never been opened.
        'account.opposed': { target: 'opposed' },
        'account.closed': [
          { guard: 'isDeath', target: 'closed.onDeath', actions: 'recordClosure' },
          { target: 'closed.byHolder', actions: 'recordClosure' },
        ],
      },
    },
    activated: {
      description: 'The holder logged in once (Carte Vitale verified) and gave a personal email address.',
      meta: {
        label: 'activé',
        message: { accepted: true, readableByPatient: true },
        document: { accepted: true, readableByPatient: true },
        consultation: { allowed: true },
        notification: 'personal-email',
      },
      on: {
        'account.closed': [
          { guard: 'isDeath', target: 'closed.onDeath', actions: 'recordClosure' },
          { target: 'closed.byHolder', actions: 'recordClosure' },
        ],
      },
    },
    opposed: {
      description: 'The holder objected; no space exists. The holder may change their mind and activate.',
      meta: {
        label: 'opposé',
        message: { accepted: false, rejection: 'PATIENT_OPPOSED' },
        document: { accepted: false, rejection: 'DMP_CLOSED' },
        consultation: { allowed: false, rejection: 'DMP_CLOSED' },
        notification: notifyNobody,
      },
      on: {
        'account.activated': { target: 'activated', actions: 'recordPersonalEmail' },
      },
    },
    closed: {
      description: 'Closed by the holder or on death; content is archived 10 years, then purged.',
      meta: closedRules,
      initial: 'byHolder',
      states: {
        byHolder: {
          initial: 'archived',
          states: {
            archived: {
              description: 'Content archived; the holder may reactivate and get it back, or ask for deletion.',
              on: {
                'account.activated': { target: '#account.activated', actions: 'recordPersonalEmail' },
                'account.deletion-requested': { target: 'deletionPending' },
                'account.purged': { guard: 'isCurrentClosure', target: 'purged' },
              },
            },
            deletionPending: {
              description: 'Express deletion requested; it is done within 3 months and blocks reactivation.',
              meta: { eventRejections: { 'account.activated': 'DELETION_PENDING' } },
              on: {
                'account.purged': { guard: 'isCurrentClosure', target: 'purged' },
              },
            },
            purged: {
              description: 'Content purged; only the proof of the purge remains. The holder may open a new space.',
              on: {
                'account.activated': { target: '#account.activated', actions: 'recordPersonalEmail' },
              },
            },
          },
          on: {
            'account.closed': { guard: 'isDeath', target: '#account.closed.onDeath', actions: 'recordClosure' },
          },
        },
        onDeath: {
          description: 'Closed on the holder\'s death; content is archived, then purged.',
          meta: { eventRejections: { 'account.activated': 'HOLDER_DECEASED', 'account.deletion-requested': 'HOLDER_DECEASED' } },
          initial: 'archived',
          states: {
            archived: {
              on: {
                'account.purged': { guard: 'isCurrentClosure', target: 'purged' },
              },
            },
            purged: {},
          },
        },
      },
    },
  },
});
