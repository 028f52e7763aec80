import {
  Client,
  isGrpcServiceError,
  ServiceError,
  WithStartWorkflowOperation,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import type { IdentifiedAccountEvent } from '../contracts/account-events';
import { accountEventSchema, type AccountEventRequest } from '../contracts/account-events';
import { consultationRequestSchema, type ConsultationRequest } from '../contracts/consultation-request';
import {
  conversationEndedSchema,
  replyRequestSchema,
  type ConversationEndedRequest,
  type ReplyRequest,
} from '../contracts/patient-requests';
import type {
  AccountEventResult,
  ConsultationAccepted,
  ConsultationResult,
  DeliveryAccepted,
  DeliveryResult,
} from '../contracts/delivery-result';
import { documentRequestSchema, type DocumentRequest } from '../contracts/document-request';
import type { AccountEventStatus, ConsultationStatus, DeliveryStatus } from '../contracts/item-status';
import { messageRequestSchema, type MessageRequest } from '../contracts/message-request';
import { contentIdOf, patientRefOf } from '../domain/patient-ref';
import { accountEventUpdate, consultationUpdate, decisionUpdate } from '../workflows/decision-update';
import { workflowIds } from '../workflows/workflow-ids';
import { MesRejectionError } from './rejection-error';
import { validateRequest } from './validate-request';

/** Options of a `MesClient`: the Temporal client, the task queue and the deployment's pseudonym key. */
export interface MesClientOptions {
  client: Client;
  taskQueue: string;
  pseudonymKey: Buffer;
}

/** Turns a workflow's or update's failure into a `MesRejectionError` when it carries a rejection code. */
function asRejection(error: unknown): unknown {
  const cause = error instanceof WorkflowUpdateFailedError || error instanceof WorkflowFailedError ? error.cause : undefined;
  if (cause instanceof ApplicationFailure && cause.nonRetryable && cause.type) {
    return new MesRejectionError(cause.type, cause.message);
  }
  return error;
}

/**
 * Typed client for TypeScript backends. Each call starts the matching workflow under an ID made from the
 * business ID, so a repeated call returns the first result and delivers nothing twice.
 */
export class MesClient {
  constructor(private readonly options: MesClientOptions) {}

  /**
   * Sends a message to a patient. Resolves as soon as it is delivered, with the planned notification channel;
   * rejects with `MesRejectionError` when it is invalid or the account's status refuses it.
   */
  async sendMessage(input: MessageRequest): Promise<DeliveryAccepted> {
    const request = validateRequest(messageRequestSchema, input);
    return this.startDelivery('sendMessage', workflowIds.message(request.id), request);
  }

  /** Feeds a document into a patient's DMP; resolves once it is stored, like `sendMessage`. */
  async feedDocument(input: DocumentRequest): Promise<DeliveryAccepted> {
    const request = validateRequest(documentRequestSchema, input);
    return this.startDelivery('feedDocument', workflowIds.document(request.id), request);
  }

  /**
   * Records a professional's consultation of a patient's DMP. Resolves as soon as it is recorded, with the
   * documents this professional may see and the holder's notice channel; rejects with `MesRejectionError`.
   */
  async consultDmp(input: ConsultationRequest): Promise<ConsultationAccepted> {
    const request = validateRequest(consultationRequestSchema, input);
    const accepted = await this.startWithEarlyAnswer('consultDmp', workflowIds.consultation(request.id), request, consultationUpdate);
    if (accepted !== null) {
      return accepted;
    }
    const { notificationStatus: _status, finalChannel: _channel, ...closedRunAnswer } = await this.consultationResult(request.id);
    return closedRunAnswer;
  }

  /** Waits for a consultation to finish, the holder's notice included, and returns its result. */
  async consultationResult(id: string): Promise<ConsultationResult> {
    return this.resultOf(this.options.client.workflow.getHandle(workflowIds.consultation(id)));
  }

  /**
   * Applies an account event and resolves with the new status. An event without `id` is identified by its
   * content, so the same event sent twice is applied once.
   */
  async applyAccountEvent(input: AccountEventRequest): Promise<AccountEventResult> {
    const request = validateRequest(accountEventSchema, input);
    const id = this.accountEventIdOf(request);
    const identified: IdentifiedAccountEvent = { ...request, id };

    // The workflow may run on for weeks (an opposition window) or years (an archive), so the result comes from
    // the update, not from the workflow's end.
    const workflowId = workflowIds.accountEvent(id);
    const applied = await this.startWithEarlyAnswer('applyAccountEvent', workflowId, identified, accountEventUpdate);
    return applied ?? this.resultOf<AccountEventResult>(this.options.client.workflow.getHandle(workflowId));
  }

  /** Returns the id an account event is applied under: its own `id`, else one derived from its content. */
  accountEventIdOf(request: AccountEventRequest): string {
    return request.id ?? contentIdOf(JSON.stringify(request), this.options.pseudonymKey);
  }

  /**
   * Sends the holder's reply to a professional's message. Resolves once the reply is recorded and sent to the
   * professional's secure messaging address; rejects with `MesRejectionError` (`REPLY_BLOCKED`, ...).
   */
  async replyToMessage(input: ReplyRequest): Promise<{ outcome: 'replied'; id: string }> {
    const request = validateRequest(replyRequestSchema, input);
    return this.runOnce('replyToMessage', workflowIds.reply(request.id), request);
  }

  /** Ends a message's conversation at its sender's request; the holder can no longer reply to it. */
  async endConversation(input: ConversationEndedRequest): Promise<{ outcome: 'ended'; id: string }> {
    const request = validateRequest(conversationEndedSchema, input);
    return this.runOnce('endConversation', workflowIds.conversationEnd(request.id), request);
  }

  /** Runs a short workflow to its end, once per business id: a repeated call returns the first result. */
  private async runOnce<Result>(workflowType: string, workflowId: string, request: unknown): Promise<Result> {
    try {
      return await this.options.client.workflow.execute(workflowType, {
        workflowId,
        taskQueue: this.options.taskQueue,
        args: [request],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        return this.resultOf<Result>(this.options.client.workflow.getHandle(workflowId));
      }
      throw asRejection(error);
    }
  }

  /**
   * Waits until an account event's workflow has done its immediate steps (a notice, a summary) and only waits
   * on a timer, or has finished. Its result came earlier; this is for a process about to stop its worker.
   */
  async accountEventSettled(id: string): Promise<void> {
    const handle = this.options.client.workflow.getHandle(workflowIds.accountEvent(id));
    for (;;) {
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') {
        return;
      }
      const raw = description.raw;
      if ((raw.pendingActivities?.length ?? 0) === 0 && !raw.pendingWorkflowTask) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits for a message's delivery to finish, notification included, and returns its result. */
  async messageResult(id: string): Promise<DeliveryResult> {
    return this.resultOf(this.options.client.workflow.getHandle(workflowIds.message(id)));
  }

  /** Waits for a document's delivery to finish, notification included, and returns its result. */
  async documentResult(id: string): Promise<DeliveryResult> {
    return this.resultOf(this.options.client.workflow.getHandle(workflowIds.document(id)));
  }

  /** Reads the status of a message's delivery without waiting. Returns null when no message has this id. */
  async messageStatus(id: string): Promise<DeliveryStatus | null> {
    return this.statusOf<DeliveryAccepted, DeliveryResult>(id, workflowIds.message(id), decisionUpdate);
  }

  /** Reads the status of a document's delivery without waiting. Returns null when no document has this id. */
  async documentStatus(id: string): Promise<DeliveryStatus | null> {
    return this.statusOf<DeliveryAccepted, DeliveryResult>(id, workflowIds.document(id), decisionUpdate);
  }

  /** Reads the status of a consultation without waiting. Returns null when no consultation has this id. */
  async consultationStatus(id: string): Promise<ConsultationStatus | null> {
    return this.statusOf<ConsultationAccepted, ConsultationResult>(id, workflowIds.consultation(id), consultationUpdate);
  }

  /** Reads the status of an account event without waiting. Returns null when no account event has this id. */
  async accountEventStatus(id: string): Promise<AccountEventStatus | null> {
    return this.statusOf<AccountEventResult, AccountEventResult>(id, workflowIds.accountEvent(id), accountEventUpdate);
  }

  /**
   * Reads the run under a workflow ID: its update's result while it runs, its result once it has finished, or
   * its rejection. Returns null when no run exists, which is also the case once a closed run passed the
   * namespace's retention period.
   */
  private async statusOf<Answer extends object, Result extends object>(
    id: string,
    workflowId: string,
    update: UpdateDefinition<Answer, []>,
  ): Promise<
    | (Answer & { state: 'in-progress' })
    | (Result & { state: 'completed' })
    | { state: 'rejected'; id: string; errorCode: string; message: string }
    | null
  > {
    const handle = this.options.client.workflow.getHandle(workflowId);
    let running: boolean;
    try {
      running = (await handle.describe()).status.name === 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        return null;
      }
      throw error;
    }

    try {
      if (running) {
        // The first submission's update ID: the server returns that update's outcome instead of running it again.
        const answer = await handle.executeUpdate(update, { updateId: update.name }).catch((error: unknown) => {
          // The run may have closed since it was described; its result is then final.
          if (error instanceof WorkflowNotFoundError) {
            return null;
          }
          throw error;
        });
        if (answer !== null) {
          return { state: 'in-progress', ...answer };
        }
      }
      return { state: 'completed', ...(await this.resultOf<Result>(handle)) };
    } catch (error) {
      const rejection = asRejection(error);
      if (rejection instanceof MesRejectionError) {
        return { state: 'rejected', id, errorCode: rejection.code, message: rejection.message };
      }
      throw rejection;
    }
  }

  private async startDelivery(
    workflowType: 'sendMessage' | 'feedDocument',
    workflowId: string,
    request: MessageRequest | DocumentRequest,
  ): Promise<DeliveryAccepted> {
    const accepted = await this.startWithEarlyAnswer(workflowType, workflowId, request, decisionUpdate);
    if (accepted !== null) {
      return accepted;
    }
    const result = await this.resultOf<DeliveryResult>(this.options.client.workflow.getHandle(workflowId));
    return { outcome: result.outcome, id: result.id, notification: result.notification, readableByPatient: result.readableByPatient };
  }

  /**
   * Starts a workflow and sends it its decision update in one call (update-with-start), so that the decision
   * returns as soon as the workflow has it. A repeated call reaches a run still open through the same update ID.
   * A closed run is never started again: this returns null, and the caller reads that run's result instead.
   */
  private async startWithEarlyAnswer<Answer>(
    workflowType: string,
    workflowId: string,
    request: { ins: string; type: string },
    update: UpdateDefinition<Answer, []>,
  ): Promise<Answer | null> {
    // The Web UI lists runs with this line: the request's type and the patient's pseudonym, never the INS.
    const staticSummary = `${request.type} · patient ${patientRefOf(request.ins, this.options.pseudonymKey)}`;
    const startWorkflowOperation = new WithStartWorkflowOperation(workflowType, {
      workflowId,
      taskQueue: this.options.taskQueue,
      args: [request],
      staticSummary,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });

    try {
      return await this.options.client.workflow.executeUpdateWithStart(update, { updateId: update.name, startWorkflowOperation });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        return null;
      }
      // The multi-operation's own failure comes as a raw gRPC error, other service failures as a ServiceError.
      if (error instanceof ServiceError || isGrpcServiceError(error)) {
        return this.attachToStartedRun(workflowId, update, error);
      }
      throw asRejection(error);
    }
  }

  /**
   * Sends the update alone to a run whose start may have happened although the call failed: a server that
   * restarts during the call rejects the client's retry with "Workflow was not started: StartDeduped", because
   * the first attempt started it. The update ID makes a second send attach to the first one.
   */
  private async attachToStartedRun<Answer>(workflowId: string, update: UpdateDefinition<Answer, []>, original: Error): Promise<Answer | null> {
    const handle = this.options.client.workflow.getHandle(workflowId);
    try {
      return await handle.executeUpdate(update, { updateId: update.name });
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) {
        throw asRejection(error);
      }
    }

    // The server reports a closed run as not found for an update: a short delivery may have ended meanwhile,
    // and its result is then read like that of any closed run. No run at all means the start did not happen.
    try {
      await handle.describe();
      return null;
    } catch (error) {
      throw error instanceof WorkflowNotFoundError ? original : error;
    }
  }

  private async resultOf<Result>(handle: WorkflowHandle): Promise<Result> {
    try {
      return (await handle.result()) as Result;
    } catch (error) {
      throw asRejection(error);
    }
  }
}
