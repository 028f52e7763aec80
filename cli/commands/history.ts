import type { Logger } from 'pino';
import { PatientHistoryClient } from '../../client/patient-history-client';
import { isMesRejectionError } from '../../client/rejection-error';
import { loadPseudonymKey } from '../../config/pseudonym-key';
import type { Settings } from '../../config/settings';
import { INVALID_REQUEST } from '../../contracts/invalid-request';
import { openDatabase } from '../session';

/**
 * Runs `mes history INS`: the holder's history, newest first. Returns the exit code: 0 with the history, 1 when
 * there is none to show (`PATIENT_UNKNOWN`, `ACCOUNT_NOT_ACTIVATED`), 2 for an invalid INS.
 */
export async function historyCommand(settings: Settings, logger: Logger, ins: string, json: boolean): Promise<number> {
  const database = await openDatabase(settings, logger);
  try {
    const entries = await new PatientHistoryClient({ pool: database.pool, pseudonymKey: loadPseudonymKey(settings) }).read(ins);

    if (json) {
      process.stdout.write(JSON.stringify({ entries }) + '\n');
      return 0;
    }
    for (const entry of entries) {
      const subject = entry.subjectId ? ` [${entry.subjectKind} ${entry.subjectId}]` : '';
      const rpps = entry.actorType === 'health-professional' ? `, RPPS ${entry.actorId}` : '';
      process.stdout.write(`${entry.occurredAt}  ${entry.actionLabel}${subject} : ${entry.actorName} (${entry.actorTypeLabel}${rpps})\n`);
    }
    return 0;
  } catch (error) {
    if (!isMesRejectionError(error)) {
      throw error;
    }
    process.stdout.write(json ? JSON.stringify({ errorCode: error.code, message: error.message }) + '\n' : `${error.code}: ${error.message}\n`);
    return error.code === INVALID_REQUEST ? 2 : 1;
  } finally {
    await database.close();
  }
}
