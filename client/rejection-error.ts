import type { FieldProblem } from '../contracts/invalid-request';

/**
 * A request that the orchestrator rejected: invalid (`INVALID_REQUEST`, with the fields) or refused by the
 * account's status (`PATIENT_OPPOSED`, `DMP_CLOSED`, ...). The message is in French, for the professional.
 */
export class MesRejectionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'MesRejectionError';
  }
}

/** Tells whether an error is a rejection with a stable code, as opposed to an outage or a bug. */
export function isMesRejectionError(error: unknown): error is MesRejectionError {
  return error instanceof MesRejectionError;
}
