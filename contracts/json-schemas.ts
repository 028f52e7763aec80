import { z } from 'zod';
import { identifiedAccountEventSchema } from './account-events';
import { batchLineSchema } from './batch-line';
import { REJECTION_MESSAGES } from '../domain/rejections';
import { consultationRequestSchema } from './consultation-request';
import { conversationEndedResultSchema, conversationEndedSchema, replyRequestSchema, replyResultSchema } from './patient-requests';
import { yearlyStatementInputSchema, yearlyStatementProgressSchema } from './yearly-statement';
import {
  accountEventResultSchema,
  consultationAcceptedSchema,
  consultationResultSchema,
  deliveryAcceptedSchema,
  deliveryResultSchema,
} from './delivery-result';
import { documentRequestSchema } from './document-request';
import { messageRequestSchema } from './message-request';

/** Failure codes a workflow or the batch output can carry, for backends that branch on them. */
export const failureCodesSchema = z
  .enum(['INVALID_REQUEST', ...(Object.keys(REJECTION_MESSAGES) as Array<keyof typeof REJECTION_MESSAGES>)])
  .meta({
    title: 'FailureCode',
    description: 'The `type` of the non-retryable ApplicationFailure a workflow fails with, or `errorCode` in the batch output',
  });

/**
 * The JSON contracts published in `schemas/`, by file name: the input and result of every workflow, the results
 * of the updates that return the decision early, and the failure codes. Backends in other languages start the workflows with
 * these inputs and read these results.
 */
export const JSON_CONTRACTS = {
  'batch-line': batchLineSchema,
  'send-message.input': messageRequestSchema,
  'feed-document.input': documentRequestSchema,
  'apply-account-event.input': identifiedAccountEventSchema,
  'decision-update.result': deliveryAcceptedSchema,
  'delivery.result': deliveryResultSchema,
  'apply-account-event.result': accountEventResultSchema,
  'consult-dmp.input': consultationRequestSchema,
  'consultation-update.result': consultationAcceptedSchema,
  'consult-dmp.result': consultationResultSchema,
  'reply-to-message.input': replyRequestSchema,
  'reply-to-message.result': replyResultSchema,
  'end-conversation.input': conversationEndedSchema,
  'end-conversation.result': conversationEndedResultSchema,
  'yearly-statement.input': yearlyStatementInputSchema,
  'yearly-statement.result': yearlyStatementProgressSchema,
  'failure-codes': failureCodesSchema,
} as const;

/** Renders each contract as a JSON Schema (draft 2020-12) document, as written to `schemas/<name>.schema.json`. */
export function renderJsonSchemas(): Record<string, string> {
  const rendered: Record<string, string> = {};
  for (const [name, schema] of Object.entries(JSON_CONTRACTS)) {
    rendered[`${name}.schema.json`] = JSON.stringify(z.toJSONSchema(schema, { io: 'input' }), null, 2) + '\n';
  }
  return rendered;
}
