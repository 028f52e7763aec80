import { z } from 'zod';

/** Channel that notifies the patient of an accepted item; `none` for account events and rejections. */
export const notificationChannelSchema = z
  .enum(['personal-email', 'am-email', 'yearly-statement', 'postal-letter', 'none'])
  .meta({ description: 'Channel planned to tell the patient that the item is waiting' });

/** Decision returned to a professional as soon as the item is stored; the notification follows durably. */
export const deliveryAcceptedSchema = z
  .object({
    outcome: z.enum(['delivered', 'stored']).meta({ description: '`delivered` for a message, `stored` for a document' }),
    id: z.string(),
    notification: notificationChannelSchema,
    readableByPatient: z.boolean().meta({ description: 'False until the holder activates the account' }),
  })
  .meta({ title: 'DeliveryAccepted' });

/** A message or document accepted into the patient's space. */
export type DeliveryAccepted = z.infer<typeof deliveryAcceptedSchema>;

/** The final state of the notification of an accepted item. */
export const notificationStatusSchema = z
  .enum(['sent', 'queued-for-statement', 'cancelled', 'none'])
  .meta({
    description:
      '`sent` by email; `queued-for-statement` for the yearly postal statement (no email address, or a permanent email failure); `cancelled` when the account was closed or opposed before sending',
  });

/** The result of a delivery workflow once its notification is settled. */
export const deliveryResultSchema = deliveryAcceptedSchema
  .extend({
    notificationStatus: notificationStatusSchema,
    finalChannel: notificationChannelSchema.meta({ description: 'Channel actually used, after any fallback' }),
  })
  .meta({ title: 'DeliveryResult' });

/** Result of the `sendMessage` and `feedDocument` workflows. */
export type DeliveryResult = z.infer<typeof deliveryResultSchema>;

/** Result of the `applyAccountEvent` workflow. */
export const accountEventResultSchema = z
  .object({
    outcome: z.literal('applied'),
    id: z.string(),
    status: z.enum(['opening', 'created', 'activated', 'opposed', 'closed']),
  })
  .meta({ title: 'AccountEventResult' });

/** An account event applied by the machine. */
export type AccountEventResult = z.infer<typeof accountEventResultSchema>;

/** Rejection decided by an activity about a professional's item or an account event, before any failure is raised. */
export type Rejection = { outcome: 'rejected'; id: string; errorCode: string; message: string };

/** A document as a consultation lists it: metadata only, the content is fetched separately. */
export const listedDocumentSchema = z
  .object({
    id: z.string(),
    typeCode: z.string(),
    mimeType: z.string(),
    authorRpps: z.string(),
    storedAt: z.string().meta({ description: 'ISO 8601 date and time' }),
    visibility: z.array(z.string()),
  })
  .meta({ title: 'ListedDocument' });

/** Result of a consultation, returned as soon as it is recorded; the holder's notice follows durably. */
export const consultationAcceptedSchema = z
  .object({
    outcome: z.literal('consulted'),
    id: z.string(),
    firstAccess: z.boolean().meta({ description: 'True for the first consultation of this DMP by this professional' }),
    notification: notificationChannelSchema.meta({
      description: 'Channel of the holder\'s notice: after a first access or an emergency access; `none` otherwise',
    }),
    documents: z.array(listedDocumentSchema).meta({
      description: 'Documents of the DMP, oldest first; a MASQUE_PS document is listed for its author only',
    }),
  })
  .meta({ title: 'ConsultationAccepted' });

/** A consultation recorded in the DMP. */
export type ConsultationAccepted = z.infer<typeof consultationAcceptedSchema>;

/** Result of the `consultDmp` workflow once its notice is settled. */
export const consultationResultSchema = consultationAcceptedSchema
  .extend({
    notificationStatus: notificationStatusSchema,
    finalChannel: notificationChannelSchema,
  })
  .meta({ title: 'ConsultationResult' });

/** Result of the `consultDmp` workflow. */
export type ConsultationResult = z.infer<typeof consultationResultSchema>;
