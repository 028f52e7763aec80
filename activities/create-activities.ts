import { createAcceptItemActivities } from './accept-item';
import type { ActivityDependencies } from './activity-dependencies';
import { createAccountActivities } from './apply-account-event';
import { createConsultationActivities } from './consult-dmp';
import { createLifecycleNoticeActivities } from './lifecycle-notices';
import { createPatientReplyActivities } from './patient-replies';
import { createYearlyStatementActivities } from './yearly-statement';
import { createDocumentVisibilityActivities } from './reveal-document';
import { createNotificationActivities } from './send-notification';

/** Builds every activity of the orchestrator from its dependencies. */
export function createActivities(dependencies: ActivityDependencies) {
  return {
    ...createAcceptItemActivities(dependencies),
    ...createNotificationActivities(dependencies),
    ...createAccountActivities(dependencies),
    ...createConsultationActivities(dependencies),
    ...createDocumentVisibilityActivities(dependencies),
    ...createLifecycleNoticeActivities(dependencies),
    ...createPatientReplyActivities(dependencies),
    ...createYearlyStatementActivities(dependencies),
  };
}

/** The activities, as workflows see them through `proxyActivities`. */
export type Activities = ReturnType<typeof createActivities>;
