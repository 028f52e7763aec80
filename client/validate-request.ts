import type { z } from 'zod';
import { describeZodError, formatFieldProblems, INVALID_REQUEST } from '../contracts/invalid-request';
import { MesRejectionError } from './rejection-error';

/** Validates input at the edge, raising `INVALID_REQUEST` with French messages that name each field. */
export function validateRequest<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const fields = describeZodError(parsed.error);
    throw new MesRejectionError(INVALID_REQUEST, formatFieldProblems(fields), fields);
  }
  return parsed.data;
}
