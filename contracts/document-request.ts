import { z } from 'zod';
import { businessIdSchema, insSchema, plainText, professionalSchema } from './fields';

/**
 * Largest document accepted, in bytes once decoded. The content travels once in the workflow's start input,
 * and Temporal rejects payloads over 2 MB by default, so base64 of 1 MiB (about 1.4 MB) leaves room.
 */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** MIME types the DMP accepts for a document: PDF, images, plain text, RTF and HL7 CDA R2 in XML. */
export const DOCUMENT_MIME_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/tiff',
  'text/plain',
  'text/rtf',
  'application/xml',
] as const;

/**
 * Visibility flags of a DMP document: hidden from professionals other than its author (`MASQUE_PS`), hidden
 * from the patient until an announcement consultation or a delay (`INVISIBLE_PATIENT`), hidden from the
 * patient's legal representatives (`INVISIBLE_REPRESENTANTS_LEGAUX`).
 */
export const VISIBILITY_FLAGS = ['MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX'] as const;

/** One of `VISIBILITY_FLAGS`. */
export type VisibilityFlag = (typeof VISIBILITY_FLAGS)[number];

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Size in bytes of decoded base64 text, computed without decoding it. */
export function decodedBase64Length(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

/** A document fed into the patient's DMP by a health professional. */
export const documentRequestSchema = z
  .strictObject({
    type: z.literal('document'),
    id: businessIdSchema,
    ins: insSchema,
    author: professionalSchema,
    title: plainText({ min: 1, max: 255, multiline: false }),
    typeCode: z
      .string()
      .regex(/^[0-9]{1,7}-[0-9]$/, { error: 'code de type attendu au format LOINC, par exemple 11490-0' })
      .meta({ description: 'LOINC code of the document type, for example 11490-0 (discharge summary)' }),
    mimeType: z.enum(DOCUMENT_MIME_TYPES, {
      error: `type MIME non pris en charge ; types acceptés : ${DOCUMENT_MIME_TYPES.join(', ')}`,
    }),
    contentBase64: z
      .string()
      .min(4, { error: 'contenu vide : joignez le document encodé en base64' })
      .refine((text) => BASE64.test(text), { error: 'contenu non valide : encodez le document en base64 standard' })
      .refine((text) => decodedBase64Length(text) <= MAX_DOCUMENT_BYTES, {
        error: `document trop volumineux : ${MAX_DOCUMENT_BYTES} octets au maximum une fois décodé`,
      }),
    visibility: z
      .array(z.enum(VISIBILITY_FLAGS, { error: `drapeau de visibilité inconnu ; valeurs acceptées : ${VISIBILITY_FLAGS.join(', ')}` }))
      .refine((flags) => new Set(flags).size === flags.length, { error: 'drapeau de visibilité répété : citez chaque drapeau une fois' })
      .optional()
      .meta({ description: 'Visibility flags; absent or empty for a document visible to all who may see the DMP' }),
  })
  .meta({ title: 'DocumentRequest' });

/** A document as submitted by a professional's software. */
export type DocumentRequest = z.infer<typeof documentRequestSchema>;
