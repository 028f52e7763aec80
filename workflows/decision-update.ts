import { defineUpdate } from '@temporalio/workflow';
import type { AccountEventResult, ConsultationAccepted, DeliveryAccepted } from '../contracts/delivery-result';

/**
 * Update that returns the decision on a message or document as soon as it is stored or rejected, while the
 * workflow goes on notifying the patient. Clients send it with update-with-start ("early return"), so an SMTP
 * outage never delays the professional's response. A rejection fails the update with the rejection's code.
 */
export const decisionUpdate = defineUpdate<DeliveryAccepted>('decision');

// Clients send each update with its name as update ID, so that repeated submissions of the same item attach to
// the first update and get its result.

/**
 * Update that returns a consultation's result as soon as it is recorded or rejected, while the workflow goes on
 * with the holder's notice. Clients send it with update-with-start, update ID `consultation`.
 */
export const consultationUpdate = defineUpdate<ConsultationAccepted>('consultation');

/**
 * Update that returns an account event's result as soon as it is applied or rejected, while the workflow goes on
 * with the durable steps the event starts (notices, opposition window, archive retention). Update ID
 * `account-event`.
 */
export const accountEventUpdate = defineUpdate<AccountEventResult>('account-event');
