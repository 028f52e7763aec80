import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { ConsultationDecision } from '../activities/consult-dmp';
import type { Activities } from '../activities/create-activities';
import type { ConsultationRequest } from '../contracts/consultation-request';
import type { ConsultationAccepted, ConsultationResult } from '../contracts/delivery-result';
import { STORE_ACTIVITY_OPTIONS } from './activity-options';
import { announcedSignal } from './announcement-signal';
import { consultationUpdate } from './decision-update';
import { recordDecisionAttributes, recordNoticeAttributes } from './record-decision-attributes';
import { notifyPatient } from './notify-patient';
import { workflowIds } from './workflow-ids';
import { rejectionFailure } from './rejection-failure';

const { consultDmp: consultDmpActivity, revealDocument } = proxyActivities<Activities>(STORE_ACTIVITY_OPTIONS);

function publicDecision(decision: Exclude<ConsultationDecision, { outcome: 'rejected' }>): ConsultationAccepted {
  return {
    outcome: decision.outcome,
    id: decision.id,
    firstAccess: decision.firstAccess,
    notification: decision.notification,
    documents: decision.documents,
  };
}

/**
 * Workflow: records a professional's consultation of a patient's DMP and returns the documents this professional
 * may see. It then notifies the holder after a first access or an emergency access. An announced hidden document
 * is made visible through its own workflow.
 */
export async function consultDmp(request: ConsultationRequest): Promise<ConsultationResult> {
  let decision: ConsultationDecision | undefined;
  setHandler(consultationUpdate, async () => {
    await condition(() => decision !== undefined);
    if (decision!.outcome === 'rejected') {
      throw rejectionFailure(decision!);
    }
    return publicDecision(decision!);
  });

  const { patientRef, ...made } = await consultDmpActivity(request);
  recordDecisionAttributes(
    made.outcome === 'rejected'
      ? { patientRef, outcome: 'rejected', errorCode: made.errorCode }
      : { patientRef, outcome: made.outcome, notification: made.notification },
  );
  decision = made;
  if (decision.outcome === 'rejected') {
    log.info('Consultation rejected', { consultationId: decision.id, errorCode: decision.errorCode });
    await condition(allHandlersFinished);
    throw rejectionFailure(decision);
  }
  log.info('Consultation recorded', { consultationId: decision.id, firstAccess: decision.firstAccess, notification: decision.notification });

  if (decision.announcedDocumentId) {
    await wakeHiddenDocument(decision.announcedDocumentId);
  }

  const settlement = await notifyPatient({ channel: decision.notification, notificationId: decision.notificationId });
  recordNoticeAttributes(settlement);

  await condition(allHandlersFinished);
  return { ...publicDecision(decision), notificationStatus: settlement.status, finalChannel: settlement.finalChannel };
}

/**
 * Tells the document's workflow that it was announced, so that it reveals the document now. When that workflow
 * is gone (closed, or past its retention), the document is revealed from here; the activity does nothing twice.
 */
async function wakeHiddenDocument(documentId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(workflowIds.document(documentId)).signal(announcedSignal);
  } catch (error) {
    log.warn('Document workflow not reachable; revealing the announced document directly', { documentId, error: String(error) });
    await notifyPatient(await revealDocument({ documentId }));
  }
}
