import { z } from 'zod';

/** Totals of a yearly statement batch, its progress while it runs and its result at the end. */
export const yearlyStatementProgressSchema = z
  .object({
    year: z.number().int(),
    accountsSeen: z.number().int().min(0),
    lettersSent: z.number().int().min(0),
    alreadySent: z.number().int().min(0).meta({ description: 'Accounts whose statement of that year was sent by an earlier run' }),
    runs: z.number().int().min(1).meta({ description: 'Workflow runs so far, one more after each continue-as-new' }),
    done: z.boolean(),
  })
  .meta({ title: 'YearlyStatementProgress' });

/** Progress of the yearly statement batch. */
export type YearlyStatementProgress = z.infer<typeof yearlyStatementProgressSchema>;

/** Input of the `yearlyStatement` workflow; every field is optional, and the Schedule sends none. */
export const yearlyStatementInputSchema = z
  .object({
    year: z.number().int().min(2000).max(2100).optional().meta({ description: 'Calendar year; by default the year before the run starts' }),
    pageSize: z.number().int().min(1).optional().meta({ description: 'Accounts read per page (keyset pagination)' }),
    chunkSize: z.number().int().min(1).optional().meta({ description: 'Accounts per activity' }),
    maxConcurrentChunks: z.number().int().min(1).optional().meta({ description: 'Activities in flight at once' }),
    pagesPerRun: z.number().int().min(1).optional().meta({ description: 'Pages handled before the workflow continues as new' }),
    after: z.string().optional().meta({ description: 'Last patient reference handled, set by continue-as-new' }),
    progress: yearlyStatementProgressSchema.optional().meta({ description: 'Totals so far, set by continue-as-new' }),
  })
  .meta({ title: 'YearlyStatementInput' });

/** Input of the yearly statement batch. */
export type YearlyStatementInput = z.infer<typeof yearlyStatementInputSchema>;
