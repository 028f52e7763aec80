import type { Pool } from 'pg';
import { documentReadSchema, messageReadSchema } from '../contracts/patient-requests';
import { patientRefOf } from '../domain/patient-ref';
import { REJECTION_MESSAGES, type RejectionCode } from '../domain/rejections';
import { restoreAccountSnapshot, statusOf } from '../machines/account-snapshot';
import { loadAccount } from '../store/accounts';
import { recordAuditEvent } from '../store/audit-trail';
import { loadMessage, loadVisibleDocument, markFirstRead, type StoredDocument, type StoredMessage } from '../store/patient-space';
import { withTransaction } from '../store/transaction';
import { validateRequest } from './validate-request';
import { MesRejectionError } from './rejection-error';

const HOLDER = { actorType: 'patient', actorId: 'holder', actorName: 'Titulaire du profil' } as const;

/**
 * Typed client of the holder's side of Mon espace santé: reading messages and documents, from the system of
 * record. Reading needs an activated account, and each reading is traced in the holder's history.
 */
export class PatientSpaceClient {
  constructor(private readonly options: { pool: Pool; pseudonymKey: Buffer; clock?: () => Date }) {}

  /** Returns a message of the holder's mailbox and traces the reading; rejects with `MesRejectionError`. */
  async readMessage(input: { ins: string; messageId: string }): Promise<StoredMessage> {
    const request = validateRequest(messageReadSchema, { type: 'patient.message-read', ...input });
    return this.read(request.ins, 'message', request.messageId, async (client, patientRef) => loadMessage(client, patientRef, request.messageId));
  }

  /** Returns a document of the holder's DMP, content included, and traces the reading; rejects with `MesRejectionError`. */
  async readDocument(input: { ins: string; documentId: string }): Promise<StoredDocument> {
    const request = validateRequest(documentReadSchema, { type: 'patient.document-read', ...input });
    return this.read(request.ins, 'document', request.documentId, async (client, patientRef) =>
      loadVisibleDocument(client, patientRef, request.documentId),
    );
  }

  private async read<Item>(
    ins: string,
    kind: 'message' | 'document',
    itemId: string,
    load: (client: Parameters<Parameters<typeof withTransaction>[1]>[0], patientRef: string) => Promise<Item | null>,
  ): Promise<Item> {
    const patientRef = patientRefOf(ins, this.options.pseudonymKey);
    const now = (this.options.clock ?? (() => new Date()))();

    const outcome = await withTransaction(this.options.pool, async (client) => {
      const account = await loadAccount(client, patientRef);
      if (!account) {
        return { rejected: 'PATIENT_UNKNOWN' as RejectionCode, item: null };
      }
      if (statusOf(restoreAccountSnapshot(account.persisted)) !== 'activated') {
        return { rejected: 'ACCOUNT_NOT_ACTIVATED' as RejectionCode, item: null };
      }
      const item = await load(client, patientRef);
      if (!item) {
        return { rejected: (kind === 'message' ? 'MESSAGE_NOT_FOUND' : 'DOCUMENT_NOT_FOUND') as RejectionCode, item: null };
      }

      await markFirstRead(client, kind === 'message' ? 'messages' : 'documents', itemId, now);
      await recordAuditEvent(client, {
        dedupKey: `${kind}:${itemId}:read:${now.toISOString()}`,
        occurredAt: now,
        patientRef,
        ...HOLDER,
        action: `${kind}.read`,
        subjectKind: kind,
        subjectId: itemId,
        outcome: 'accepted',
        errorCode: null,
        visibleToPatient: true,
      });
      return { rejected: null, item };
    });

    if (outcome.rejected) {
      throw new MesRejectionError(outcome.rejected, REJECTION_MESSAGES[outcome.rejected]);
    }
    return outcome.item as Item;
  }
}
