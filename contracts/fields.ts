import { z } from 'zod';
import { describeInsProblem, findInsProblem } from '../domain/ins';

// Validation messages are read by health professionals, so zod's own messages are in French too.
z.config(z.locales.fr());

/** Control characters other than tab, line feed and carriage return. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** An HTML tag, comment or declaration: text fields are shown to patients as plain text only. */
const HTML_MARKUP = /<\s*[a-zA-Z!/?]/;

/** Builds a plain-text field: trimmed length bounds, no control characters and no HTML markup. */
export function plainText(options: { min: number; max: number; multiline: boolean }) {
  return z
    .string()
    .min(options.min, { error: `texte vide ou trop court (minimum ${options.min} caractère(s))` })
    .max(options.max, { error: `texte trop long (maximum ${options.max} caractères)` })
    .refine((text) => text.trim().length >= options.min, { error: 'texte vide : saisissez un contenu' })
    .refine((text) => !CONTROL_CHARACTERS.test(text), {
      error: 'caractère de contrôle interdit : retirez-le du texte',
    })
    .refine((text) => options.multiline || !/[\r\n]/.test(text), { error: 'retour à la ligne interdit dans ce champ' })
    .refine((text) => !HTML_MARKUP.test(text), { error: 'balises HTML interdites : envoyez du texte brut' });
}

/** The patient's INS (NIR form, 15 characters), checked down to its key. */
export const insSchema = z
  .string()
  .superRefine((ins, context) => {
    const problem = findInsProblem(ins);
    if (problem) {
      context.addIssue({ code: 'custom', message: describeInsProblem(problem) });
    }
  })
  .meta({
    description: 'INS of the patient: 13-character NIR followed by its 2-digit key (2A and 2B allowed)',
    pattern: '^[1-478][0-9]{2}(0[1-9]|1[0-2]|[2-9][0-9])(2A|2B|[0-9]{2})[0-9]{6}[0-9]{2}$',
    examples: ['214092A61226013'],
  });

/** An RPPS number: the national identifier of a health professional, 11 digits. */
export const rppsSchema = z
  .string()
  .regex(/^[0-9]{11}$/, { error: 'le numéro RPPS doit compter exactement 11 chiffres' })
  .meta({ description: 'RPPS number of the health professional (11 digits)' });

/**
 * A business identifier chosen by the sender's software. It becomes part of a Temporal workflow ID, so it is
 * limited to characters that are safe there and must not carry personal data.
 */
export const businessIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, {
    error: "identifiant invalide : 1 à 100 caractères parmi lettres, chiffres, '.', '_', ':' et '-'",
  })
  .meta({ description: 'Identifier chosen by the sender; repeating it returns the first result' });

/** An email address, at most 254 characters as SMTP allows. */
export const emailSchema = z
  .email({ error: 'adresse e-mail invalide' })
  .max(254, { error: 'adresse e-mail trop longue (maximum 254 caractères)' });

/** A health professional as named in a message or a document. */
export const professionalSchema = z
  .strictObject({
    rpps: rppsSchema,
    name: plainText({ min: 1, max: 120, multiline: false }).meta({ description: 'Display name, for example "Dr Claire Martin"' }),
  })
  .meta({ description: 'The health professional who acts' });

/** Professional identity, as carried by messages and documents. */
export type Professional = z.infer<typeof professionalSchema>;
