import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/**
 * Options of the activities that read or write the database: one short transaction, retried across a restart.
 * The start-to-close timeout is also how long a task of a worker that died waits before another worker retries it.
 */
export const STORE_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/**
 * Options of the decision on a professional's item, run as a local activity: one short transaction that is safe
 * to repeat, run inside the workflow task that receives the item. History gets one marker instead of three events
 * and the workflow skips a round trip to the server. A worker that dies mid-way loses the workflow task, and the
 * next worker runs the step again.
 */
export const DECISION_LOCAL_ACTIVITY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/**
 * Options of `sendNotification`: emails are retried with backoff for up to two days while the SMTP relay is
 * down or replies 4xx. After that the notice falls back to the yearly statement. Permanent SMTP failures fall
 * back at once, in the activity.
 */
export const EMAIL_ACTIVITY_OPTIONS: ActivityOptions = {
  // Above the SMTP sender's own timeouts (10 s to connect, 10 s for the greeting, 20 s of socket silence).
  startToCloseTimeout: '45 seconds',
  scheduleToCloseTimeout: '2 days',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};
