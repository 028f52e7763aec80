import { z } from 'zod';
import { businessIdSchema, insSchema, professionalSchema } from './fields';

/**
 * A professional's consultation of a patient's DMP. `emergency` is the emergency access ("bris de glace"),
 * after which the holder is always notified. `announces` names a document hidden from the patient
 * (`INVISIBLE_PATIENT`) whose result the author has just announced in person: it becomes visible at once.
 */
export const consultationRequestSchema = z
  .strictObject({
    type: z.literal('consultation'),
    id: businessIdSchema,
    ins: insSchema,
    professional: professionalSchema,
    mode: z.enum(['normal', 'emergency'], { error: 'mode attendu : "normal" ou "emergency"' }),
    announces: businessIdSchema
      .optional()
      .meta({ description: 'Id of an INVISIBLE_PATIENT document of this professional, announced during this consultation' }),
  })
  .meta({ title: 'ConsultationRequest' });

/** A consultation as submitted by a professional's software. */
export type ConsultationRequest = z.infer<typeof consultationRequestSchema>;
