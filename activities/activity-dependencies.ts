import type { Pool } from 'pg';
import type { MailSender } from '../mail/mail-sender';

/** What the activities need from the outside world; the worker passes real ones, tests pass local real ones. */
export interface ActivityDependencies {
  pool: Pool;
  mailSender: MailSender;
  /** Sender address of notices, for example `Mon espace santé <ne-pas-repondre@…>`. */
  mailFrom: string;
  /** Key of the keyed hash that turns an INS into a patient reference. */
  pseudonymKey: Buffer;
  /** Current time; the worker passes `() => new Date()`. */
  clock: () => Date;
}
