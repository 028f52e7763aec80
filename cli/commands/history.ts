import type { Logger } from 'pino';
import { loadPseudonymKey } from '../../config/pseudonym-key';
import type { Settings } from '../../config/settings';
import { insSchema } from '../../contracts/fields';
import { patientRefOf } from '../../domain/patient-ref';
import { REJECTION_MESSAGES } from '../../domain/rejections';
import { readPatientHistory } from '../../store/patient-history';
import { openDatabase } from '../session';

/** Runs `mes history INS`: the holder's history, newest first. Returns the exit code. */
export async function historyCommand(settings: Settings, logger: Logger, ins: string, json: boolean): Promise<number> {
  const parsed = insSchema.safeParse(ins);
  if (!parsed.success) {
    process.stderr.write(`INVALID_REQUEST: INS invalide : ${parsed.error.issues[0]?.message}\n`);
    return 2;
  }

  const database = await openDatabase(settings, logger);
  try {
    const history = await readPatientHistory(database.pool, patientRefOf(parsed.data, loadPseudonymKey(settings)));
    if (!history.available) {
      const message = REJECTION_MESSAGES[history.code];
      process.stdout.write(json ? JSON.stringify({ errorCode: history.code, message }) + '\n' : `${history.code}: ${message}\n`);
      return 1;
    }

    if (json) {
      process.stdout.write(JSON.stringify({ entries: history.entries }) + '\n');
      return 0;
    }
    for (const entry of history.entries) {
      const subject = entry.subjectId ? ` [${entry.subjectKind} ${entry.subjectId}]` : '';
      process.stdout.write(`${entry.occurredAt}  ${entry.actorTypeLabel} ${entry.actorName} (${entry.actorId})  ${entry.actionLabel}${subject}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}
