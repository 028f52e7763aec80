import type { Pool } from 'pg';
import { insSchema } from '../contracts/fields';
import { INVALID_REQUEST } from '../contracts/invalid-request';
import type { HistoryEntry } from '../contracts/patient-history';
import { patientRefOf } from '../domain/patient-ref';
import { REJECTION_MESSAGES } from '../domain/rejections';
import { readPatientHistory } from '../store/patient-history';
import { MesRejectionError } from './rejection-error';

/**
 * Typed client that reads a holder's history from the system of record, for the patient-facing side of Mon
 * espace santé. It needs the database and the deployment's pseudonym key, not Temporal.
 */
export class PatientHistoryClient {
  constructor(private readonly options: { pool: Pool; pseudonymKey: Buffer }) {}

  /**
   * Returns the holder's history, newest first. Rejects with `MesRejectionError`: `INVALID_REQUEST` for an
   * invalid INS, `PATIENT_UNKNOWN` without an account, `ACCOUNT_NOT_ACTIVATED` unless the account is activated.
   */
  async read(ins: string): Promise<HistoryEntry[]> {
    const parsed = insSchema.safeParse(ins);
    if (!parsed.success) {
      const message = `Requête invalide : champ « ins » : ${parsed.error.issues[0]?.message}.`;
      throw new MesRejectionError(INVALID_REQUEST, message, [{ field: 'ins', message: parsed.error.issues[0]?.message ?? '' }]);
    }

    const history = await readPatientHistory(this.options.pool, patientRefOf(parsed.data, this.options.pseudonymKey));
    if (!history.available) {
      throw new MesRejectionError(history.code, REJECTION_MESSAGES[history.code]);
    }
    return history.entries;
  }
}
