import { ActivityFailure, log, proxyActivities, TimeoutFailure } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import type { NotificationSettlement } from '../activities/send-notification';
import type { NotificationChannel } from '../machines/account-snapshot';
import { EMAIL_ACTIVITY_OPTIONS, STORE_ACTIVITY_OPTIONS } from './activity-options';

const { sendNotification } = proxyActivities<Activities>(EMAIL_ACTIVITY_OPTIONS);
const { fallBackToStatement } = proxyActivities<Activities>(STORE_ACTIVITY_OPTIONS);

/**
 * Settles a planned notice: sends the pending email record `notificationId`, or, without one, reports the
 * channel that was planned (the yearly statement, or none).
 */
export async function notifyPatient(planned: { channel: NotificationChannel; notificationId: string | null }): Promise<NotificationSettlement> {
  if (planned.notificationId === null) {
    return planned.channel === 'yearly-statement'
      ? { status: 'queued-for-statement', finalChannel: 'yearly-statement' }
      : { status: 'none', finalChannel: 'none' };
  }

  try {
    return await sendNotification({ notificationId: planned.notificationId });
  } catch (error) {
    // Only running out of the retry window is recovered here; any other failure is a bug for operators to see.
    if (error instanceof ActivityFailure && error.cause instanceof TimeoutFailure) {
      log.warn('Notification email kept failing; falling back to the yearly statement', { notificationId: planned.notificationId });
      return fallBackToStatement({ notificationId: planned.notificationId, reason: 'email-retry-window-elapsed' });
    }
    throw error;
  }
}
