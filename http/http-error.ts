import { z } from 'zod';
import { failureCodesSchema } from '../contracts/json-schemas';

/** Error codes of the HTTP layer itself, beside the failure codes of the workflows. */
export const HTTP_ERROR_CODES = [
  'UNAUTHORIZED',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'ITEM_NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL_ERROR',
] as const;

/** One of `HTTP_ERROR_CODES`. */
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/**
 * An error of the HTTP exchange itself (missing token, unknown route, body too large), raised where it is found
 * and returned with its status and a French message. Rejections of a valid request stay `MesRejectionError`s.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Body of every error response. */
export const errorBodySchema = z
  .object({
    errorCode: z
      .enum([...failureCodesSchema.options, ...HTTP_ERROR_CODES])
      .meta({ description: 'Stable code to branch on: a FailureCode of the workflows, or an error of the HTTP exchange' }),
    message: z.string().meta({ description: 'French message for the professional, naming the field or the status' }),
    fields: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'With INVALID_REQUEST: each rejected field, by its JSON path, with its French message' }),
  })
  .meta({ title: 'ErrorBody' });

/** An error response's body. */
export type ErrorBody = z.infer<typeof errorBodySchema>;
