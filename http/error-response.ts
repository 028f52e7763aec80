import { isMesRejectionError } from '../client/rejection-error';
import { INVALID_REQUEST } from '../contracts/invalid-request';
import type { RejectionCode } from '../domain/rejections';
import { HttpError, type ErrorBody } from './http-error';
import type { ApiResponse } from './route';

/**
 * HTTP status of each rejection of a valid request. 409 Conflict: the current status of the patient's account
 * rejects the request, and the same request under a new id may succeed once the status changes (RFC 9110,
 * section 15.5.10). 422 Unprocessable Content: the request names a document, message or professional that does
 * not match what the DMP or the mailbox contains (RFC 9110, section 15.5.21).
 */
const REJECTION_STATUSES: Record<RejectionCode, 409 | 422> = {
  PATIENT_OPPOSED: 409,
  DMP_CLOSED: 409,
  ACCOUNT_CLOSED: 409,
  ACCOUNT_NOT_OPEN: 409,
  PATIENT_UNKNOWN: 409,
  ACCOUNT_EVENT_REJECTED: 409,
  DELETION_PENDING: 409,
  HOLDER_DECEASED: 409,
  ACCOUNT_NOT_ACTIVATED: 409,
  REPLY_BLOCKED: 409,
  ANNOUNCEMENT_REJECTED: 422,
  MESSAGE_NOT_FOUND: 422,
  DOCUMENT_NOT_FOUND: 422,
  CONVERSATION_NOT_OWNED: 422,
};

function isRejectionCode(code: string): code is RejectionCode {
  return Object.hasOwn(REJECTION_STATUSES, code);
}

/**
 * Builds the response to an error with a stable code: an `HttpError`, an invalid request (400) or a rejection
 * (409 or 422). Returns null for any other error, which is an outage or a bug that the server logs.
 */
export function errorResponseOf(error: unknown): ApiResponse | null {
  if (error instanceof HttpError) {
    const body: ErrorBody = { errorCode: error.code, message: error.message };
    return { status: error.status, headers: error.headers, body };
  }
  if (!isMesRejectionError(error)) {
    return null;
  }

  // A code that this process does not know yet, from a newer worker, is still a rejection by the account's status.
  const status = error.code === INVALID_REQUEST ? 400 : isRejectionCode(error.code) ? REJECTION_STATUSES[error.code] : 409;
  const body = { errorCode: error.code, message: error.message, ...(error.fields.length > 0 ? { fields: error.fields } : {}) };
  return { status, body };
}
