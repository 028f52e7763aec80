import { z } from 'zod';
import { insSchema } from './fields';

/** A request for a holder's history. The INS travels in a body, never in a URL that logs and proxies record. */
export const historyRequestSchema = z.strictObject({ ins: insSchema }).meta({ title: 'PatientHistoryRequest' });

/** One entry of the history the holder reads in Mon espace santé. */
export const historyEntrySchema = z
  .object({
    occurredAt: z.string().meta({ description: 'ISO 8601 date and time' }),
    actorType: z.enum(['health-professional', 'facility', 'patient', 'system']),
    actorTypeLabel: z.string().meta({ description: 'French label of the actor type' }),
    actorId: z.string().meta({ description: 'RPPS number of a health professional, or another identifier of the actor' }),
    actorName: z.string(),
    action: z.string().meta({ description: 'Action code, for example message.received' }),
    actionLabel: z.string().meta({ description: 'French description of the action' }),
    subjectKind: z.string().nullable(),
    subjectId: z.string().nullable(),
  })
  .meta({ title: 'HistoryEntry' });

/** A holder's history, newest entry first. */
export const patientHistorySchema = z.object({ entries: z.array(historyEntrySchema) }).meta({ title: 'PatientHistory' });

/** One history entry. */
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
