import { log } from '@temporalio/activity';
import type { z } from 'zod';
import type { Rejection } from '../contracts/delivery-result';
import { describeZodError, formatFieldProblems, INVALID_REQUEST } from '../contracts/invalid-request';

/** Patient reference searched for an invalid request: its INS may be malformed, so no pseudonym is derived from it. */
export const INVALID_REQUEST_PATIENT_REF = 'pt-invalid-request';

/**
 * Checks a workflow's input against its contract again, in the worker. The typed client and the HTTP API check it
 * first, but a backend in another language starts workflows with the JSON Schema alone, which cannot express
 * every rule (the INS key, plain-text fields). Returns the `INVALID_REQUEST` rejection, or null when valid.
 * Callers reject before storing anything.
 *
 * NOTE: account events are not checked again here, because their activity also applies the internal events of
 * the lifecycle, which have contracts of their own.
 */
export function recheckRequest(schema: z.ZodType, request: unknown): Rejection | null {
  const parsed = schema.safeParse(request);
  if (parsed.success) {
    return null;
  }

  const fields = describeZodError(parsed.error);
  const id = typeof (request as { id?: unknown })?.id === 'string' ? (request as { id: string }).id : '(sans identifiant)';
  log.warn('Request rejected by the worker: it does not match its contract', { itemId: id, fields: fields.map((problem) => problem.field) });
  return { outcome: 'rejected', id, errorCode: INVALID_REQUEST, message: formatFieldProblems(fields) };
}
