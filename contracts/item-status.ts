import { z } from 'zod';
import {
  accountEventResultSchema,
  consultationAcceptedSchema,
  consultationResultSchema,
  deliveryAcceptedSchema,
  deliveryResultSchema,
} from './delivery-result';

/** A submission that the account's status refused, as its status reports it. */
export const rejectedStatusSchema = z
  .object({
    state: z.literal('rejected'),
    id: z.string(),
    errorCode: z.string().meta({ description: 'A FailureCode, for example PATIENT_OPPOSED' }),
    message: z.string().meta({ description: 'French message for the professional' }),
  })
  .meta({ title: 'RejectedStatus' });

/**
 * Builds the status schema of one kind of submission: `in-progress` with the decision while its workflow still
 * runs (notification, timers), `completed` with the workflow's result, or `rejected`.
 */
function statusSchemaOf<Decision extends z.ZodObject, Result extends z.ZodObject>(title: string, decision: Decision, result: Result) {
  return z
    .discriminatedUnion('state', [
      decision.extend({ state: z.literal('in-progress') }),
      result.extend({ state: z.literal('completed') }),
      rejectedStatusSchema,
    ])
    .meta({ title });
}

/** Status of a message's or document's delivery. */
export const deliveryStatusSchema = statusSchemaOf('DeliveryStatus', deliveryAcceptedSchema, deliveryResultSchema);

/** Status of a consultation; `in-progress` until the holder's notice is settled. */
export const consultationStatusSchema = statusSchemaOf('ConsultationStatus', consultationAcceptedSchema, consultationResultSchema);

/**
 * Status of an account event. It stays `in-progress` for as long as the steps it started last: 6 weeks for an
 * opening (the opposition window), the archive retention for a closure.
 */
export const accountEventStatusSchema = statusSchemaOf('AccountEventStatus', accountEventResultSchema, accountEventResultSchema);

/** Status of a message or document delivery. */
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

/** Status of a consultation. */
export type ConsultationStatus = z.infer<typeof consultationStatusSchema>;

/** Status of an account event. */
export type AccountEventStatus = z.infer<typeof accountEventStatusSchema>;
