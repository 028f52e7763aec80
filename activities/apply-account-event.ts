import type { AccountEventRequest, IdentifiedAccountEvent } from '../contracts/account-events';
import type { AccountEventResult, Rejection } from '../contracts/delivery-result';
import { patientRefOf } from '../domain/patient-ref';
import { REJECTION_MESSAGES } from '../domain/rejections';
import type { AccountEvent } from '../machines/account-machine';
import {
  applyAccountEvent,
  restoreAccountSnapshot,
  statusRulesOf,
  unknownAccountSnapshot,
} from '../machines/account-snapshot';
import { insertAccount, loadAccount, updateAccount } from '../store/accounts';
import { findRecordedOutcome, recordAuditEvent, type ActorType } from '../store/audit-trail';
import { withTransaction } from '../store/transaction';
import type { ActivityDependencies } from './activity-dependencies';

/** Turns a request into the machine's event, dropping the INS and the id. */
function toMachineEvent(request: AccountEventRequest): AccountEvent {
  switch (request.type) {
    case 'account.opening':
    case 'account.created':
      return { type: request.type, amEmail: request.amEmail };
    case 'account.activated':
      return { type: request.type, personalEmail: request.personalEmail };
    case 'account.opposed':
      return { type: request.type };
    case 'account.closed':
      return { type: request.type, reason: request.reason };
  }
}

/** Returns the actor of an event: Assurance Maladie opens, creates and closes on death; the holder does the rest. */
function actorOf(request: AccountEventRequest): { actorType: ActorType; actorId: string; actorName: string } {
  if (request.type === 'account.opening' || request.type === 'account.created') {
    return { actorType: 'system', actorId: 'assurance-maladie', actorName: 'Assurance Maladie' };
  }
  if (request.type === 'account.closed' && request.reason === 'death') {
    return { actorType: 'system', actorId: 'assurance-maladie', actorName: 'Assurance Maladie' };
  }
  return { actorType: 'patient', actorId: 'holder', actorName: 'Titulaire du profil' };
}

/** Builds the activity that changes an account's status through the account machine. */
export function createAccountActivities(dependencies: ActivityDependencies) {
  return {
    /**
     * Loads the account's machine state, offers it the event, and stores the new state with a version check and
     * its trace in one transaction (activity). A concurrent change raises a retryable version conflict.
     */
    async applyAccountEvent(request: IdentifiedAccountEvent): Promise<AccountEventResult | Rejection> {
      const patientRef = patientRefOf(request.ins, dependencies.pseudonymKey);
      const dedupKey = `account-event:${request.id}:apply`;

      return withTransaction(dependencies.pool, async (client) => {
        const recorded = await findRecordedOutcome(client, dedupKey);
        if (recorded) {
          return recorded.outcome === 'accepted'
            ? { outcome: 'applied', id: request.id, status: recorded.details.status as AccountEventResult['status'] }
            : { outcome: 'rejected', id: request.id, errorCode: recorded.errorCode ?? 'ACCOUNT_EVENT_REJECTED', message: String(recorded.details.message) };
        }

        const account = await loadAccount(client, patientRef);
        const current = account ? restoreAccountSnapshot(account.persisted) : unknownAccountSnapshot();
        const result = applyAccountEvent(current, toMachineEvent(request));
        const trace = {
          dedupKey,
          occurredAt: dependencies.clock(),
          patientRef,
          ...actorOf(request),
          action: request.type,
          subjectKind: 'account' as const,
          subjectId: request.id,
        };

        if (!result.accepted) {
          const label = statusRulesOf(current).label;
          const message = `${REJECTION_MESSAGES.ACCOUNT_EVENT_REJECTED} Événement « ${request.type} », statut actuel « ${label} ».`;
          await recordAuditEvent(client, {
            ...trace,
            outcome: 'rejected',
            errorCode: 'ACCOUNT_EVENT_REJECTED',
            visibleToPatient: false,
            details: { status: String(current.value), message },
          });
          return { outcome: 'rejected', id: request.id, errorCode: 'ACCOUNT_EVENT_REJECTED', message };
        }

        if (account) {
          await updateAccount(client, patientRef, account.version, result.persisted);
        } else {
          await insertAccount(client, patientRef, request.ins, result.persisted);
        }
        await recordAuditEvent(client, {
          ...trace,
          outcome: 'accepted',
          errorCode: null,
          visibleToPatient: true,
          details: { status: result.persisted.status },
        });
        return { outcome: 'applied', id: request.id, status: result.persisted.status };
      });
    },
  };
}
