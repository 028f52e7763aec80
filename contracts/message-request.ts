import { z } from 'zod';
import { businessIdSchema, emailSchema, insSchema, plainText, professionalSchema } from './fields';

/** A secure message (MSSanté) from a health professional to a patient's Mon espace santé mailbox. */
export const messageRequestSchema = z
  .strictObject({
    type: z.literal('message'),
    id: businessIdSchema,
    ins: insSchema,
    sender: professionalSchema,
    replyTo: emailSchema
      .optional()
      .meta({ description: "Sender's secure messaging (MSSanté) address, where the patient's replies go; without it the patient cannot reply" }),
    subject: plainText({ min: 1, max: 200, multiline: false }),
    body: plainText({ min: 1, max: 20_000, multiline: true }),
  })
  .meta({ title: 'MessageRequest' });

/** A message as submitted by a professional's software. */
export type MessageRequest = z.infer<typeof messageRequestSchema>;
