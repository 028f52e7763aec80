import type { ActivityOptions } from '@temporalio/workflow';

/** Options of the activities that read or write the database: one short transaction, retried across a restart. */
export const STORE_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/**
 * Options of `sendNotification`: emails are retried with backoff for up to two days while the SMTP relay is
 * down or replies 4xx. After that the notice falls back to the yearly statement. Permanent SMTP failures fall
 * back at once, in the activity.
 */
export const EMAIL_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 days',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};
