import { z } from 'zod';
import { accountEventSchema } from './account-events';
import { consultationRequestSchema } from './consultation-request';
import { documentRequestSchema } from './document-request';
import { conversationEndedSchema, documentReadSchema, messageReadSchema, replyRequestSchema } from './patient-requests';
import { messageRequestSchema } from './message-request';

/** The `type` values a batch line may have. */
export const BATCH_LINE_TYPES = [
  'account.opening',
  'account.created',
  'account.activated',
  'account.opposed',
  'account.closed',
  'account.deletion-requested',
  'message',
  'document',
  'consultation',
  'patient.message-read',
  'patient.document-read',
  'patient.reply',
  'conversation.ended',
] as const;

/** One line of a `mes submit` file: an account event, a message or a document. */
export const batchLineSchema = z
  .discriminatedUnion('type', [
    ...accountEventSchema.options,
    messageRequestSchema,
    documentRequestSchema,
    consultationRequestSchema,
    messageReadSchema,
    documentReadSchema,
    replyRequestSchema,
    conversationEndedSchema,
  ], {
    error: `type inconnu ; valeurs acceptées : ${BATCH_LINE_TYPES.join(', ')}`,
  })
  .meta({ title: 'BatchLine', description: 'One JSON object per line of a file given to `mes submit`' });

/** A parsed batch line. */
export type BatchLine = z.infer<typeof batchLineSchema>;
