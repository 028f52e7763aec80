import { z } from 'zod';
import { businessIdSchema, insSchema, plainText, professionalSchema } from './fields';

/** The holder reads a message of their secure mailbox. */
export const messageReadSchema = z
  .strictObject({
    type: z.literal('patient.message-read'),
    ins: insSchema,
    messageId: businessIdSchema,
  })
  .meta({ title: 'MessageReadRequest' });

/** The holder reads a document of their DMP. */
export const documentReadSchema = z
  .strictObject({
    type: z.literal('patient.document-read'),
    ins: insSchema,
    documentId: businessIdSchema,
  })
  .meta({ title: 'DocumentReadRequest' });

/** The holder replies to a professional's message; the reply goes to the professional's secure messaging address. */
export const replyRequestSchema = z
  .strictObject({
    type: z.literal('patient.reply'),
    id: businessIdSchema,
    ins: insSchema,
    messageId: businessIdSchema,
    body: plainText({ min: 1, max: 20_000, multiline: true }),
  })
  .meta({ title: 'ReplyRequest' });

/** The professional who sent a message ends its conversation: the patient can no longer reply. */
export const conversationEndedSchema = z
  .strictObject({
    type: z.literal('conversation.ended'),
    id: businessIdSchema,
    ins: insSchema,
    messageId: businessIdSchema,
    professional: professionalSchema,
  })
  .meta({ title: 'ConversationEndedRequest' });

/** A read request. */
export type MessageReadRequest = z.infer<typeof messageReadSchema>;
/** A read request. */
export type DocumentReadRequest = z.infer<typeof documentReadSchema>;
/** A reply as submitted for the holder. */
export type ReplyRequest = z.infer<typeof replyRequestSchema>;
/** The end of a conversation as submitted by the professional's software. */
export type ConversationEndedRequest = z.infer<typeof conversationEndedSchema>;

/** Result of the `replyToMessage` workflow: the reply is recorded and sent to the professional. */
export const replyResultSchema = z.object({ outcome: z.literal('replied'), id: z.string() }).meta({ title: 'ReplyResult' });

/** Result of the `endConversation` workflow: the holder can no longer reply to the message. */
export const conversationEndedResultSchema = z.object({ outcome: z.literal('ended'), id: z.string() }).meta({ title: 'ConversationEndedResult' });
