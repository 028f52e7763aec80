import { proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import type { DeliveryResult } from '../contracts/delivery-result';
import type { DocumentRequest } from '../contracts/document-request';
import { DECISION_LOCAL_ACTIVITY_OPTIONS } from './activity-options';
import { deliverItem } from './deliver-item';

const { acceptDocument } = proxyLocalActivities<Activities>(DECISION_LOCAL_ACTIVITY_OPTIONS);

/**
 * Workflow: stores a document in the patient's DMP, or rejects it, according to the account status; then
 * notifies the patient. Start it with update-with-start of `decisionUpdate` to get the decision at once.
 */
export async function feedDocument(request: DocumentRequest): Promise<DeliveryResult> {
  return deliverItem('document', () => acceptDocument(request));
}
