import { z } from 'zod';
import { validateRequest } from '../client/validate-request';
import { historyRequestSchema, patientHistorySchema } from '../contracts/patient-history';
import type { Route } from './route';

/**
 * `POST /v1/patient-history`: the holder's history, newest first. It is a POST so that the INS travels in the
 * body: a URL ends up in access logs, proxy logs and browser histories, and the INS must appear in none of them.
 */
export const HISTORY_ROUTE: Route = {
  method: 'POST',
  pattern: '/v1/patient-history',
  params: z.strictObject({}),
  query: z.strictObject({}),
  readsBody: true,
  public: false,
  documentation: {
    operationId: 'readPatientHistory',
    summary: "Read a holder's history",
    description:
      'Returns the actions recorded in the history the holder reads, newest first. Readable only once the account is activated. The INS goes in the body, never in the URL, so that no log records it.',
    requestBody: historyRequestSchema,
    responses: {
      200: { description: 'The history', body: patientHistorySchema },
      409: { description: 'PATIENT_UNKNOWN (no account) or ACCOUNT_NOT_ACTIVATED (the history is not readable yet, or any more)' },
    },
  },
  async handle(request, services) {
    const { ins } = validateRequest(historyRequestSchema, request.body);
    const entries = await services.history.read(ins);
    return { status: 200, body: { entries } };
  },
};
