import type { AccountEventRequest, IdentifiedAccountEvent } from '../contracts/account-events';
import type { AccountEventResult, Rejection } from '../contracts/delivery-result';
import { patientRefOf } from '../domain/patient-ref';
import { REJECTION_MESSAGES, type RejectionCode } from '../domain/rejections';
import type { AccountEvent } from '../machines/account-machine';
import {
  applyAccountEvent,
  rejectionCodeOf,
  restoreAccountSnapshot,
  statusRulesOf,
  unknownAccountSnapshot,
} from '../machines/account-snapshot';
import { insertAccount, loadAccount, recordPostalAddress, updateAccount } from '../store/accounts';
import { findRecordedOutcome, recordAuditEvent, type ActorType } from '../store/audit-trail';
import { purgeAccountContent } from '../store/purge';
import { withTransaction } from '../store/transaction';
import type { ActivityDependencies, LifecycleDelays } from './activity-dependencies';

/** Events the lifecycle workflows apply themselves: the end of the opposition window, and a purge. */
export type InternalAccountEvent =
  | { type: 'account.opposition-window-elapsed'; id: string; ins: string }
  | { type: 'account.purged'; id: string; ins: string; closedAt: string; reason: 'retention-elapsed' | 'deletion-requested' };

/** An applied event, with what the workflow needs for its next durable steps. */
export interface AppliedAccountEvent {
  result: AccountEventResult;
  /** Time of the account's last closure, which its purge must name. */
  closedAt: string | null;
  delays: LifecycleDelays;
}

/** Turns a request into the machine's event, dropping the INS and the id. */
function toMachineEvent(request: IdentifiedAccountEvent | InternalAccountEvent, now: Date): AccountEvent {
  switch (request.type) {
    case 'account.opening':
    case 'account.created':
      return { type: request.type, amEmail: request.amEmail };
    case 'account.activated':
      return { type: request.type, personalEmail: request.personalEmail };
    case 'account.closed':
      return { type: request.type, reason: request.reason, at: now.toISOString() };
    case 'account.purged':
      return { type: request.type, closedAt: request.closedAt };
    case 'account.opposed':
    case 'account.deletion-requested':
    case 'account.opposition-window-elapsed':
      return { type: request.type };
  }
}

const ASSURANCE_MALADIE = { actorType: 'system', actorId: 'assurance-maladie', actorName: 'Assurance Maladie' } as const;
const HOLDER = { actorType: 'patient', actorId: 'holder', actorName: 'Titulaire du profil' } as const;
const MON_ESPACE_SANTE = { actorType: 'system', actorId: 'mon-espace-sante', actorName: 'Mon espace santé' } as const;

/** Returns the actor of an event: Assurance Maladie opens, creates and closes on death; the system ends windows and purges. */
function actorOf(request: IdentifiedAccountEvent | InternalAccountEvent): { actorType: ActorType; actorId: string; actorName: string } {
  switch (request.type) {
    case 'account.opening':
    case 'account.created':
      return ASSURANCE_MALADIE;
    case 'account.closed':
      return request.reason === 'death' ? ASSURANCE_MALADIE : HOLDER;
    case 'account.opposition-window-elapsed':
    case 'account.purged':
      return MON_ESPACE_SANTE;
    default:
      return HOLDER;
  }
}

/** Builds the activity that changes an account's status through the account machine. */
export function createAccountActivities(dependencies: ActivityDependencies) {
  return {
    /**
     * Loads the account's machine state, offers it the event, and stores the new state with a version check and
     * its trace in one transaction (activity). A purge removes the content in the same transaction. A concurrent
     * change raises a retryable version conflict.
     */
    async applyAccountEvent(request: IdentifiedAccountEvent | InternalAccountEvent): Promise<(AppliedAccountEvent | Rejection) & { patientRef: string }> {
      const patientRef = patientRefOf(request.ins, dependencies.pseudonymKey);
      const dedupKey = `account-event:${request.id}:apply`;
      const delays = dependencies.lifecycleDelays;

      const answer = await withTransaction(dependencies.pool, async (client): Promise<AppliedAccountEvent | Rejection> => {
        const recorded = await findRecordedOutcome(client, dedupKey);
        if (recorded) {
          if (recorded.outcome === 'rejected') {
            return { outcome: 'rejected', id: request.id, errorCode: recorded.errorCode ?? 'ACCOUNT_EVENT_REJECTED', message: String(recorded.details.message) };
          }
          const result = { outcome: 'applied' as const, id: request.id, status: recorded.details.status as AccountEventResult['status'] };
          return { result, closedAt: (recorded.details.closedAt as string | null) ?? null, delays };
        }

        const account = await loadAccount(client, patientRef);
        const current = account ? restoreAccountSnapshot(account.persisted) : unknownAccountSnapshot();
        const now = dependencies.clock();
        const transition = applyAccountEvent(current, toMachineEvent(request, now));
        const trace = {
          dedupKey,
          occurredAt: now,
          patientRef,
          ...actorOf(request),
          action: request.type,
          subjectKind: 'account' as const,
          subjectId: request.id,
        };

        if (!transition.accepted) {
          const specific = rejectionCodeOf(current, request.type);
          const code: RejectionCode = specific ?? 'ACCOUNT_EVENT_REJECTED';
          const message = specific
            ? REJECTION_MESSAGES[specific]
            : `${REJECTION_MESSAGES.ACCOUNT_EVENT_REJECTED} Événement « ${request.type} », statut actuel « ${statusRulesOf(current).label} ».`;
          await recordAuditEvent(client, {
            ...trace,
            outcome: 'rejected',
            errorCode: code,
            visibleToPatient: false,
            details: { status: String(current.value), message },
          });
          return { outcome: 'rejected', id: request.id, errorCode: code, message };
        }

        if (account) {
          await updateAccount(client, patientRef, account.version, transition.persisted);
        } else {
          await insertAccount(client, patientRef, request.ins, transition.persisted);
        }
        if ('postalAddress' in request && request.postalAddress) {
          await recordPostalAddress(client, patientRef, request.postalAddress);
        }
        const purge =
          request.type === 'account.purged'
            ? await purgeAccountContent(client, { patientRef, closedAt: request.closedAt, purgedAt: now, reason: request.reason })
            : null;

        const closedAt = transition.persisted.context.closedAt;
        await recordAuditEvent(client, {
          ...trace,
          outcome: 'accepted',
          errorCode: null,
          visibleToPatient: true,
          details: { status: transition.persisted.status, closedAt, ...(purge ?? {}) },
        });
        return { result: { outcome: 'applied', id: request.id, status: transition.persisted.status }, closedAt, delays };
      });
      // Operators search runs by this pseudonymous reference; the workflow cannot compute it without the key.
      return { ...answer, patientRef };
    },
  };
}

/** The request types a client may send, as opposed to the internal events above. */
export type PublicAccountEventType = AccountEventRequest['type'];
