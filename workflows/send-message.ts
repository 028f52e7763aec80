import { proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import type { DeliveryResult } from '../contracts/delivery-result';
import type { MessageRequest } from '../contracts/message-request';
import { DECISION_LOCAL_ACTIVITY_OPTIONS } from './activity-options';
import { deliverItem } from './deliver-item';

const { acceptMessage } = proxyLocalActivities<Activities>(DECISION_LOCAL_ACTIVITY_OPTIONS);

/**
 * Workflow: delivers a professional's message, or rejects it, according to the patient's account status; then
 * notifies the patient. Start it with update-with-start of `decisionUpdate` to get the decision at once.
 */
export async function sendMessage(request: MessageRequest): Promise<DeliveryResult> {
  return deliverItem('message', () => acceptMessage(request));
}
