import { z } from 'zod';
import { businessIdSchema, emailSchema, insSchema, plainText } from './fields';

/**
 * Optional identifier of an account event. Without it the event is identified by its content, so the same
 * event submitted twice is applied once. Give distinct ids to apply an identical event again.
 */
const eventIdSchema = businessIdSchema.optional();

/** A French postal address, for the letters sent to holders without an email address. */
export const postalAddressSchema = z
  .strictObject({
    lines: z
      .array(plainText({ min: 1, max: 38, multiline: false }))
      .min(1, { error: "au moins une ligne d'adresse (nom, voie)" })
      .max(5, { error: "5 lignes d'adresse au plus" }),
    postalCode: z.string().regex(/^[0-9]{5}$/, { error: 'code postal attendu sur 5 chiffres' }),
    city: plainText({ min: 1, max: 38, multiline: false }),
  })
  .meta({ description: 'Postal address: up to 5 lines of 38 characters (AFNOR XPZ 10-011), postal code and city' });

/** A postal address as validated. */
export type PostalAddress = z.infer<typeof postalAddressSchema>;

/**
 * Assurance Maladie opens the account: the information notice goes to its email address, else by letter to the
 * postal address, and the 6-week opposition window starts.
 */
export const accountOpeningSchema = z
  .strictObject({
    type: z.literal('account.opening'),
    id: eventIdSchema,
    ins: insSchema,
    amEmail: emailSchema.nullable().meta({ description: 'Email address known to Assurance Maladie, or null' }),
    postalAddress: postalAddressSchema.optional(),
  })
  .refine((event) => event.amEmail !== null || event.postalAddress !== undefined, {
    path: ['postalAddress'],
    error: "adresse postale requise quand amEmail est null : la notice d'information part alors par courrier",
  });

/** The account was created automatically, with or without an email address known to Assurance Maladie. */
export const accountCreatedSchema = z.strictObject({
  type: z.literal('account.created'),
  id: eventIdSchema,
  ins: insSchema,
  amEmail: emailSchema.nullable().meta({ description: 'Email address known to Assurance Maladie, or null' }),
  postalAddress: postalAddressSchema.optional().meta({ description: 'Where the yearly activity statement is posted' }),
});

/** The holder logged in once and gave a personal email address. */
export const accountActivatedSchema = z.strictObject({
  type: z.literal('account.activated'),
  id: eventIdSchema,
  ins: insSchema,
  personalEmail: emailSchema.meta({ description: 'Personal email address given at activation' }),
});

/** The holder objected to the creation of the account. */
export const accountOpposedSchema = z.strictObject({
  type: z.literal('account.opposed'),
  id: eventIdSchema,
  ins: insSchema,
});

/** The account was closed at the holder's request or on death. */
export const accountClosedSchema = z.strictObject({
  type: z.literal('account.closed'),
  id: eventIdSchema,
  ins: insSchema,
  reason: z.enum(['holder-request', 'death'], { error: 'motif attendu : "holder-request" ou "death"' }),
});

/** The holder of a closed account requests its express deletion, done within 3 months. */
export const accountDeletionRequestedSchema = z.strictObject({
  type: z.literal('account.deletion-requested'),
  id: eventIdSchema,
  ins: insSchema,
});

/** Any event that changes an account's status. */
export const accountEventSchema = z
  .discriminatedUnion('type', [
    accountOpeningSchema,
    accountCreatedSchema,
    accountActivatedSchema,
    accountOpposedSchema,
    accountClosedSchema,
    accountDeletionRequestedSchema,
  ])
  .meta({ title: 'AccountEventRequest' });

/** An account event as submitted by Assurance Maladie's or the patient's side. */
export type AccountEventRequest = z.infer<typeof accountEventSchema>;

/** The type names of account events, for example `account.created`. */
export type AccountEventType = AccountEventRequest['type'];

/** An account event as the `applyAccountEvent` workflow receives it: clients always give it an id. */
export const identifiedAccountEventSchema = z
  .discriminatedUnion(
    'type',
    [
      accountOpeningSchema.safeExtend({ id: businessIdSchema }),
      accountCreatedSchema.safeExtend({ id: businessIdSchema }),
      accountActivatedSchema.safeExtend({ id: businessIdSchema }),
      accountOpposedSchema.safeExtend({ id: businessIdSchema }),
      accountClosedSchema.safeExtend({ id: businessIdSchema }),
      accountDeletionRequestedSchema.safeExtend({ id: businessIdSchema }),
    ],
  )
  .meta({ title: 'AccountEventInput' });

/** Input of the `applyAccountEvent` workflow. */
export type IdentifiedAccountEvent = z.infer<typeof identifiedAccountEventSchema>;
