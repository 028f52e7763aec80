import type { Logger } from 'pino';
import { loadPseudonymKey } from '../../config/pseudonym-key';
import type { Settings } from '../../config/settings';
import { insSchema } from '../../contracts/fields';
import { INVALID_REQUEST } from '../../contracts/invalid-request';
import { patientRefOf } from '../../domain/patient-ref';
import { REJECTION_MESSAGES } from '../../domain/rejections';
import { readPatientHistory } from '../../store/patient-history';
import { openDatabase } from '../session';

/** Prints a refusal with its code, as a JSON object or a line of text. */
function printRefusal(code: string, message: string, json: boolean): void {
  process.stdout.write(json ? JSON.stringify({ errorCode: code, message }) + '\n' : `${code}: ${message}\n`);
}

/**
 * Runs `mes history INS`: the holder's history, newest first. Returns the exit code: 0 with the history, 1 when
 * there is none to show (`PATIENT_UNKNOWN`, `ACCOUNT_NOT_ACTIVATED`), 2 for an invalid INS.
 */
export async function historyCommand(settings: Settings, logger: Logger, ins: string, json: boolean): Promise<number> {
  const parsed = insSchema.safeParse(ins);
  if (!parsed.success) {
    printRefusal(INVALID_REQUEST, `Requête invalide : INS invalide : ${parsed.error.issues[0]?.message}.`, json);
    return 2;
  }

  const database = await openDatabase(settings, logger);
  try {
    const history = await readPatientHistory(database.pool, patientRefOf(parsed.data, loadPseudonymKey(settings)));
    if (!history.available) {
      printRefusal(history.code, REJECTION_MESSAGES[history.code], json);
      return 1;
    }

    if (json) {
      process.stdout.write(JSON.stringify({ entries: history.entries }) + '\n');
      return 0;
    }
    for (const entry of history.entries) {
      const subject = entry.subjectId ? ` [${entry.subjectKind} ${entry.subjectId}]` : '';
      const rpps = entry.actorType === 'health-professional' ? `, RPPS ${entry.actorId}` : '';
      process.stdout.write(`${entry.occurredAt}  ${entry.actionLabel}${subject} : ${entry.actorName} (${entry.actorTypeLabel}${rpps})\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}
