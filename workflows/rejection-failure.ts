import { ApplicationFailure } from '@temporalio/workflow';

/**
 * Converts a rejection into the failure a professional's or holder's software receives: non-retryable, with the
 * stable code as its `type` and the French message.
 */
export function rejectionFailure(rejection: { id: string; errorCode: string; message: string }): ApplicationFailure {
  return ApplicationFailure.create({
    type: rejection.errorCode,
    message: rejection.message,
    nonRetryable: true,
    details: [{ id: rejection.id, errorCode: rejection.errorCode }],
  });
}
