import { isGrpcDeadlineError } from '@temporalio/client';
import { z } from 'zod';
import type { MesClient } from '../client/mes-client';
import { accountEventSchema, type AccountEventRequest } from '../contracts/account-events';
import { consultationRequestSchema, type ConsultationRequest } from '../contracts/consultation-request';
import {
  accountEventResultSchema,
  consultationAcceptedSchema,
  consultationResultSchema,
  deliveryAcceptedSchema,
  deliveryResultSchema,
} from '../contracts/delivery-result';
import { documentRequestSchema, type DocumentRequest } from '../contracts/document-request';
import { businessIdSchema } from '../contracts/fields';
import { accountEventStatusSchema, consultationStatusSchema, deliveryStatusSchema } from '../contracts/item-status';
import { messageRequestSchema, type MessageRequest } from '../contracts/message-request';
import { HttpError } from './http-error';
import type { ApiResponse, ApiServices, ResponseDocumentation, Route } from './route';

/**
 * One kind of submission: its schemas, and how the typed client submits it, waits for its outcome and reads its
 * status. Bodies go to the typed client unvalidated, because it validates them before starting anything.
 */
interface ItemKind {
  /** Path segment of the collection, for example `messages`. */
  collection: string;
  /** Name in the operation ids, for example `Message` in `submitMessage`. */
  name: string;
  submitSummary: string;
  /** What the 202 response contains and what `?wait=true` waits for. */
  submitDescription: string;
  /** The rejections a valid submission may get. */
  rejections: Record<number, string>;
  request: z.ZodType;
  decision: z.ZodType;
  result: z.ZodType;
  status: z.ZodType;
  /** Submits the body and returns the decision, which carries the submission's id. */
  submit(mes: MesClient, body: unknown): Promise<{ id: string }>;
  waitForOutcome(mes: MesClient, decision: { id: string }): Promise<unknown>;
  readStatus(mes: MesClient, id: string): Promise<unknown>;
  /** French message of a 404 for an id under which nothing was submitted. */
  notFoundMessage(id: string): string;
}

const DELIVERY_REJECTIONS = "the patient's account status rejects it, and `errorCode` gives the reason";

const MESSAGES: ItemKind = {
  collection: 'messages',
  name: 'Message',
  submitSummary: "Send a professional's message to a patient",
  submitDescription:
    'Returns 202 as soon as the message is delivered, with the planned notification channel. With `?wait=true`, returns 200 once the notification is settled.',
  rejections: { 409: `PATIENT_OPPOSED, ACCOUNT_CLOSED, ACCOUNT_NOT_OPEN or PATIENT_UNKNOWN: ${DELIVERY_REJECTIONS}` },
  request: messageRequestSchema,
  decision: deliveryAcceptedSchema,
  result: deliveryResultSchema,
  status: deliveryStatusSchema,
  submit: (mes, body) => mes.sendMessage(body as MessageRequest),
  waitForOutcome: (mes, decision) => mes.messageResult(decision.id),
  readStatus: (mes, id) => mes.messageStatus(id),
  notFoundMessage: (id) => `Aucun message connu sous l'identifiant « ${id} » : vérifiez l'identifiant.`,
};

const DOCUMENTS: ItemKind = {
  collection: 'documents',
  name: 'Document',
  submitSummary: "Feed a document into a patient's DMP",
  submitDescription:
    'Returns 202 as soon as the document is stored, with the planned notification channel. With `?wait=true`, returns 200 once the notification is settled; a document hidden from the patient (`INVISIBLE_PATIENT`) is notified weeks later, so such a request gets the 202 when the wait ends.',
  rejections: { 409: `DMP_CLOSED, ACCOUNT_NOT_OPEN or PATIENT_UNKNOWN: ${DELIVERY_REJECTIONS}` },
  request: documentRequestSchema,
  decision: deliveryAcceptedSchema,
  result: deliveryResultSchema,
  status: deliveryStatusSchema,
  submit: (mes, body) => mes.feedDocument(body as DocumentRequest),
  waitForOutcome: (mes, decision) => mes.documentResult(decision.id),
  readStatus: (mes, id) => mes.documentStatus(id),
  notFoundMessage: (id) => `Aucun document connu sous l'identifiant « ${id} » : vérifiez l'identifiant.`,
};

const CONSULTATIONS: ItemKind = {
  collection: 'consultations',
  name: 'Consultation',
  submitSummary: "Record a professional's consultation of a patient's DMP",
  submitDescription:
    'Returns 202 as soon as the consultation is recorded, with the documents this professional may see. With `?wait=true`, returns 200 once the holder\'s notice is settled.',
  rejections: {
    409: `DMP_CLOSED, ACCOUNT_NOT_OPEN or PATIENT_UNKNOWN: ${DELIVERY_REJECTIONS}`,
    422: 'ANNOUNCEMENT_REJECTED: the announced document is not an INVISIBLE_PATIENT document of this professional in this DMP',
  },
  request: consultationRequestSchema,
  decision: consultationAcceptedSchema,
  result: consultationResultSchema,
  status: consultationStatusSchema,
  submit: (mes, body) => mes.consultDmp(body as ConsultationRequest),
  waitForOutcome: (mes, decision) => mes.consultationResult(decision.id),
  readStatus: (mes, id) => mes.consultationStatus(id),
  notFoundMessage: (id) => `Aucune consultation connue sous l'identifiant « ${id} » : vérifiez l'identifiant.`,
};

const ACCOUNT_EVENTS: ItemKind = {
  collection: 'account-events',
  name: 'AccountEvent',
  submitSummary: "Apply an event to a patient's account",
  submitDescription:
    "Returns 202 as soon as the event is applied, with the account's new status; without `id`, the event is identified by its content and `Location` names the derived id. With `?wait=true`, returns 200 once the event's immediate steps (a notice, a summary) are done; its timers (the opposition window, the archive retention) go on.",
  rejections: { 409: "ACCOUNT_EVENT_REJECTED, DELETION_PENDING or HOLDER_DECEASED: the account's status rejects this event" },
  request: accountEventSchema,
  decision: accountEventResultSchema,
  result: accountEventResultSchema,
  status: accountEventStatusSchema,
  submit: (mes, body) => mes.applyAccountEvent(body as AccountEventRequest),
  waitForOutcome: async (mes, decision) => {
    await mes.accountEventSettled(decision.id);
    return decision;
  },
  readStatus: (mes, id) => mes.accountEventStatus(id),
  notFoundMessage: (id) => `Aucun événement de compte connu sous l'identifiant « ${id} » : vérifiez l'identifiant.`,
};

const submitQuerySchema = z.strictObject({
  wait: z
    .enum(['true', 'false'], { error: 'valeur attendue : true ou false' })
    .optional()
    .meta({ description: 'true: wait for the final outcome (200), up to MES_HTTP_MAX_WAIT_SECONDS, instead of responding with the decision (202)' }),
});

const statusParamsSchema = z.strictObject({ id: businessIdSchema });

/** Runs a wait on Temporal under the services' deadline; resolves null when the deadline passes first. */
async function waitWithinDeadline<Outcome>(services: ApiServices, wait: () => Promise<Outcome>): Promise<Outcome | null> {
  try {
    return await services.temporal.withDeadline(Date.now() + services.maxWaitMs, wait);
  } catch (error) {
    if (isGrpcDeadlineError(error)) {
      return null;
    }
    throw error;
  }
}

function rejectionResponses(kind: ItemKind): Record<number, ResponseDocumentation> {
  const responses: Record<number, ResponseDocumentation> = {};
  for (const [status, description] of Object.entries(kind.rejections)) {
    responses[Number(status)] = { description };
  }
  return responses;
}

/** Builds the two routes of a kind of submission: `POST /v1/<collection>` and `GET /v1/<collection>/{id}`. */
function itemRoutes(kind: ItemKind): Route[] {
  const collectionPath = `/v1/${kind.collection}`;

  const submitRoute: Route = {
    method: 'POST',
    pattern: collectionPath,
    params: z.strictObject({}),
    query: submitQuerySchema,
    readsBody: true,
    public: false,
    documentation: {
      operationId: `submit${kind.name}`,
      summary: kind.submitSummary,
      description: `${kind.submitDescription} Submitting the same id again returns the first response and does nothing twice.`,
      requestBody: kind.request,
      responses: {
        200: { description: 'With `?wait=true`: the final outcome', body: kind.result },
        202: {
          description: 'The decision; the rest goes on durably. Also the response to `?wait=true` when the wait times out first.',
          body: kind.decision,
          headers: { Location: 'Path of the status resource, for example /v1/messages/msg-2026-0001' },
        },
        ...rejectionResponses(kind),
      },
    },
    async handle(request, services): Promise<ApiResponse> {
      const decision = await kind.submit(services.mes, request.body);
      const accepted: ApiResponse = {
        status: 202,
        headers: { Location: `${collectionPath}/${encodeURIComponent(decision.id)}` },
        body: decision,
      };
      if (request.query.wait !== 'true') {
        return accepted;
      }

      const outcome = await waitWithinDeadline(services, () => kind.waitForOutcome(services.mes, decision));
      return outcome === null ? accepted : { status: 200, body: outcome };
    },
  };

  const statusRoute: Route = {
    method: 'GET',
    pattern: `${collectionPath}/{id}`,
    params: statusParamsSchema,
    query: z.strictObject({}),
    readsBody: false,
    public: false,
    documentation: {
      operationId: `get${kind.name}Status`,
      summary: `Read the status of a submission (${kind.collection})`,
      description:
        '`in-progress` with the decision while the workflow runs, `completed` with its result, or `rejected` with the code. A closed run is kept for the Temporal namespace\'s retention period, then this returns 404.',
      responses: {
        200: { description: 'The status', body: kind.status },
        404: { description: 'ITEM_NOT_FOUND: nothing was submitted under this id, or its run passed the retention period' },
      },
    },
    async handle(request, services): Promise<ApiResponse> {
      const id = request.params.id!;
      const status = await kind.readStatus(services.mes, id);
      if (status === null) {
        throw new HttpError(404, 'ITEM_NOT_FOUND', kind.notFoundMessage(id));
      }
      return { status: 200, body: status };
    },
  };

  return [submitRoute, statusRoute];
}

/** The submission routes: messages, documents, consultations and account events, each with its status. */
export const ITEM_ROUTES: readonly Route[] = [MESSAGES, DOCUMENTS, CONSULTATIONS, ACCOUNT_EVENTS].flatMap(itemRoutes);
