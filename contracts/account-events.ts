import { z } from 'zod';
import { businessIdSchema, emailSchema, insSchema } from './fields';

/**
 * Optional identifier of an account event. Without it the event is identified by its content, so the same
 * event submitted twice is applied once. Give distinct ids to apply an identical event again.
 */
const eventIdSchema = businessIdSchema.optional();

/** Assurance Maladie sent the information notice: the opposition window starts. */
export const accountOpeningSchema = z.strictObject({
  type: z.literal('account.opening'),
  id: eventIdSchema,
  ins: insSchema,
  amEmail: emailSchema.nullable().meta({ description: 'Email address known to Assurance Maladie, or null' }),
});

/** The account was created automatically, with or without an email address known to Assurance Maladie. */
export const accountCreatedSchema = z.strictObject({
  type: z.literal('account.created'),
  id: eventIdSchema,
  ins: insSchema,
  amEmail: emailSchema.nullable().meta({ description: 'Email address known to Assurance Maladie, or null' }),
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

/** Any event that changes an account's status. */
export const accountEventSchema = z.discriminatedUnion('type', [
  accountOpeningSchema,
  accountCreatedSchema,
  accountActivatedSchema,
  accountOpposedSchema,
  accountClosedSchema,
]);

/** An account event as submitted by Assurance Maladie's or the patient's side. */
export type AccountEventRequest = z.infer<typeof accountEventSchema>;

/** The type names of account events, for example `account.created`. */
export type AccountEventType = AccountEventRequest['type'];

/** An account event as the `applyAccountEvent` workflow receives it: clients always give it an id. */
export const identifiedAccountEventSchema = z
  .discriminatedUnion(
    'type',
    [
      accountOpeningSchema.extend({ id: businessIdSchema }),
      accountCreatedSchema.extend({ id: businessIdSchema }),
      accountActivatedSchema.extend({ id: businessIdSchema }),
      accountOpposedSchema.extend({ id: businessIdSchema }),
      accountClosedSchema.extend({ id: businessIdSchema }),
    ],
  )
  .meta({ title: 'AccountEventInput' });

/** Input of the `applyAccountEvent` workflow. */
export type IdentifiedAccountEvent = z.infer<typeof identifiedAccountEventSchema>;
