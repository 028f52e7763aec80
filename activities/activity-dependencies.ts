import type { Pool } from 'pg';
import type { LetterSender } from '../letters/letter-sender';
import type { MailSender } from '../mail/mail-sender';

/** Dependencies of the activities on the outside world: the worker passes real ones, tests pass local real ones. */
export interface ActivityDependencies {
  pool: Pool;
  mailSender: MailSender;
  /** Sender address of notices, for example `Mon espace santé <ne-pas-repondre@…>`. */
  mailFrom: string;
  /** Key of the keyed hash that turns an INS into a patient reference. */
  pseudonymKey: Buffer;
  /** Current time; the worker passes `() => new Date()`. */
  clock: () => Date;
  /** Delays of an `INVISIBLE_PATIENT` document; short ones let tests run in seconds. */
  visibilityDelays: VisibilityDelays;
  /** Delays of the account lifecycle; short ones let tests run in seconds. */
  lifecycleDelays: LifecycleDelays;
  /** The postal channel, for letters to holders without an email address. */
  letterSender: LetterSender;
}

/**
 * Delays of a document hidden from the patient (`INVISIBLE_PATIENT`), counted from its feeding: with no
 * announcement consultation, the patient is notified of an update after the first, and the document becomes
 * visible after the second.
 */
export interface VisibilityDelays {
  updateNoticeAfterMs: number;
  visibleAfterMs: number;
}

/** Default delays: 2 weeks, then 30 days (the rule gives one month; 30 days stands in for every month). */
export const DEFAULT_VISIBILITY_DELAYS: VisibilityDelays = {
  updateNoticeAfterMs: 14 * 24 * 3600 * 1000,
  visibleAfterMs: 30 * 24 * 3600 * 1000,
};

/** Delays of the account lifecycle, in milliseconds. */
export interface LifecycleDelays {
  /** Opposition window after the information notice: 6 weeks. */
  openingWindowMs: number;
  /** Archive retention after a closure: 10 years. */
  archiveRetentionMs: number;
  /** Time before an express deletion is carried out; the rule is "within 3 months". */
  deletionDelayMs: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** Default lifecycle delays: 42 days, 10 years of 365.25 days, and 90 days. */
export const DEFAULT_LIFECYCLE_DELAYS: LifecycleDelays = {
  openingWindowMs: 42 * DAY_MS,
  archiveRetentionMs: Math.round(3652.5 * DAY_MS),
  deletionDelayMs: 90 * DAY_MS,
};
