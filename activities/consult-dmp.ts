import { consultationRequestSchema, type ConsultationRequest } from '../contracts/consultation-request';
import type { ConsultationAccepted, Rejection } from '../contracts/delivery-result';
import { patientRefOf } from '../domain/patient-ref';
import { CONSULTATION_REJECTION_MESSAGES, REJECTION_MESSAGES, type RejectionCode } from '../domain/rejections';
import { notificationChannelOf, restoreAccountSnapshot, statusRulesOf, unknownAccountSnapshot } from '../machines/account-snapshot';
import { loadAccount } from '../store/accounts';
import { findRecordedOutcome, recordAuditEvent } from '../store/audit-trail';
import { insertConsultation, recordFirstAccess } from '../store/consultations';
import { listDocumentsFor, markDocumentAnnounced } from '../store/items';
import { withTransaction } from '../store/transaction';
import type { ActivityDependencies } from './activity-dependencies';
import { planNotification } from './plan-notification';
import { INVALID_REQUEST_PATIENT_REF, recheckRequest } from './recheck-request';

/** The decision on a consultation: recorded, with the holder's notice to send if any, or rejected. */
export type ConsultationDecision = (ConsultationAccepted & { notificationId: string | null; announcedDocumentId: string | null }) | Rejection;

function rejection(id: string, code: RejectionCode): Rejection {
  return { outcome: 'rejected', id, errorCode: code, message: CONSULTATION_REJECTION_MESSAGES[code] ?? REJECTION_MESSAGES[code] };
}

/** Builds the activity that records a professional's consultation of a DMP. */
export function createConsultationActivities(dependencies: ActivityDependencies) {
  return {
    /**
     * Records a consultation, its first access and its trace in one transaction, plans the holder's notice after
     * a first or an emergency access, and lists the documents this professional may see (activity). A rejection
     * writes only its trace, in the operator log. A retry after a commit finds the trace and returns the same decision.
     */
    async consultDmp(request: ConsultationRequest): Promise<ConsultationDecision & { patientRef: string }> {
      const invalid = recheckRequest(consultationRequestSchema, request);
      if (invalid) {
        return { ...invalid, patientRef: INVALID_REQUEST_PATIENT_REF };
      }

      const patientRef = patientRefOf(request.ins, dependencies.pseudonymKey);
      const dedupKey = `consultation:${request.id}:consult`;
      const professional = request.professional;

      const decision = await withTransaction(dependencies.pool, async (client): Promise<ConsultationDecision> => {
        const recorded = await findRecordedOutcome(client, dedupKey);
        if (recorded) {
          if (recorded.outcome === 'rejected') {
            return rejection(request.id, recorded.errorCode as RejectionCode);
          }
          const details = recorded.details as { firstAccess: boolean; notification: ConsultationAccepted['notification']; notificationId: string | null };
          return {
            outcome: 'consulted',
            id: request.id,
            firstAccess: details.firstAccess,
            notification: details.notification,
            notificationId: details.notificationId,
            announcedDocumentId: request.announces ?? null,
            documents: await listDocumentsFor(client, patientRef, professional.rpps),
          };
        }

        const account = await loadAccount(client, patientRef);
        const snapshot = account ? restoreAccountSnapshot(account.persisted) : unknownAccountSnapshot();
        const rule = statusRulesOf(snapshot).consultation;
        const now = dependencies.clock();
        const trace = {
          dedupKey,
          occurredAt: now,
          patientRef,
          actorType: 'health-professional' as const,
          actorId: professional.rpps,
          actorName: professional.name,
          action: request.mode === 'emergency' ? 'dmp.consulted-in-emergency' : 'dmp.consulted',
          subjectKind: 'consultation' as const,
          subjectId: request.id,
        };
        const reject = async (code: RejectionCode) => {
          await recordAuditEvent(client, {
            ...trace,
            outcome: 'rejected',
            errorCode: code,
            visibleToPatient: false,
            details: { status: String(snapshot.value) },
          });
          return rejection(request.id, code);
        };

        if (!rule.allowed) {
          return reject(rule.rejection);
        }
        if (request.announces && !(await markDocumentAnnounced(client, patientRef, request.announces, professional.rpps, now))) {
          return reject('ANNOUNCEMENT_REJECTED');
        }

        await insertConsultation(client, patientRef, request, now);
        const firstAccess = await recordFirstAccess(client, patientRef, professional.rpps, request.id, now);

        // An emergency access is always notified; otherwise only the first access of each professional is.
        let subjectKind: 'emergency-access' | 'first-access' | null = null;
        if (request.mode === 'emergency') {
          subjectKind = 'emergency-access';
        } else if (firstAccess) {
          subjectKind = 'first-access';
        }
        const channel = subjectKind ? notificationChannelOf(snapshot).channel : 'none';
        const notificationId = channel === 'personal-email' || channel === 'am-email' ? `${subjectKind}-${request.id}` : null;

        // The consultation's history entry comes before the entry of its notice.
        await recordAuditEvent(client, {
          ...trace,
          outcome: 'accepted',
          errorCode: null,
          visibleToPatient: true,
          details: { firstAccess, notification: channel, notificationId, announces: request.announces ?? null },
        });
        const planned = subjectKind
          ? await planNotification(client, {
              id: `${subjectKind}-${request.id}`,
              patientRef,
              subjectKind,
              subjectId: request.id,
              account: snapshot,
              at: now,
            })
          : { channel: 'none' as const, notificationId: null };

        return {
          outcome: 'consulted',
          id: request.id,
          firstAccess,
          notification: planned.channel,
          notificationId: planned.notificationId,
          announcedDocumentId: request.announces ?? null,
          documents: await listDocumentsFor(client, patientRef, professional.rpps),
        };
      });
      // Operators search runs by this pseudonymous reference; the workflow cannot compute it without the key.
      return { ...decision, patientRef };
    },
  };
}
