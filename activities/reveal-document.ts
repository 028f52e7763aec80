import { ApplicationFailure } from '@temporalio/activity';
import { restoreAccountSnapshot } from '../machines/account-snapshot';
import { loadAccount } from '../store/accounts';
import { revealDocumentEntries } from '../store/audit-trail';
import { loadDocumentVisibility, markDocumentVisible } from '../store/items';
import { withTransaction } from '../store/transaction';
import type { ActivityDependencies } from './activity-dependencies';
import { planNotification, type PlannedNotification } from './plan-notification';

/** Error type of a document that does not exist; a bug, so it is not retried. */
export const DOCUMENT_NOT_FOUND = 'DOCUMENT_NOT_FOUND';

/** Builds the activities that end the hiding of an `INVISIBLE_PATIENT` document. */
export function createDocumentVisibilityActivities(dependencies: ActivityDependencies) {
  async function loadHiddenDocument(client: Parameters<typeof loadDocumentVisibility>[0], documentId: string) {
    const document = await loadDocumentVisibility(client, documentId);
    if (!document) {
      throw ApplicationFailure.nonRetryable(`Document ${documentId} not found`, DOCUMENT_NOT_FOUND);
    }
    const account = await loadAccount(client, document.patientRef);
    if (!account) {
      throw ApplicationFailure.nonRetryable(`Account of document ${documentId} not found`, DOCUMENT_NOT_FOUND);
    }
    return { document, account: restoreAccountSnapshot(account.persisted) };
  }

  return {
    /**
     * Plans the notice that the DMP has an update, without saying which document (activity). Nothing is planned
     * once the document is announced or visible.
     */
    async planDocumentUpdateNotice(input: { documentId: string }): Promise<PlannedNotification> {
      return withTransaction(dependencies.pool, async (client) => {
        const { document, account } = await loadHiddenDocument(client, input.documentId);
        if (document.visible || document.announced) {
          return { channel: 'none', notificationId: null };
        }
        return planNotification(client, {
          id: `document-update-${input.documentId}`,
          patientRef: document.patientRef,
          subjectKind: 'document-update',
          subjectId: input.documentId,
          account,
          at: dependencies.clock(),
        });
      });
    },

    /**
     * Makes the document visible to the patient: its history entries appear, and the usual document notice is
     * planned on the channel the account's status gives now (activity). A second call changes nothing.
     */
    async revealDocument(input: { documentId: string }): Promise<PlannedNotification & { alreadyVisible: boolean }> {
      return withTransaction(dependencies.pool, async (client) => {
        const { document, account } = await loadHiddenDocument(client, input.documentId);
        if (document.visible) {
          return { channel: 'none', notificationId: null, alreadyVisible: true };
        }

        const now = dependencies.clock();
        await markDocumentVisible(client, input.documentId, now);
        await revealDocumentEntries(client, input.documentId);
        const planned = await planNotification(client, {
          id: `document-${input.documentId}`,
          patientRef: document.patientRef,
          subjectKind: 'document',
          subjectId: input.documentId,
          account,
          at: now,
        });
        return { ...planned, alreadyVisible: false };
      });
    },
  };
}
