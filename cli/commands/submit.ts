import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import readline from 'node:readline';
import type { Logger } from 'pino';
import type { Settings } from '../../config/settings';
import { runBatch, type LineOutcome } from '../batch-runner';
import { openSession, type Session } from '../session';

/** Options of `mes submit`. */
export interface SubmitOptions {
  file: string;
  json: boolean;
  runWorker: boolean;
  concurrency: number;
}

const COLUMN_WIDTHS = [7, 18, 26, 10, 17];

/** Header of the text output, aligned with `formatOutcome`. */
export const OUTCOME_HEADER = ['line', 'type', 'id', 'outcome', 'notif. or status']
  .map((title, index) => title.padEnd(COLUMN_WIDTHS[index]!))
  .join(' ')
  .concat('error');

/** Formats one outcome as a readable line of the text output; `-` marks an empty column. */
export function formatOutcome(outcome: LineOutcome): string {
  const cells = [
    String(outcome.line),
    outcome.type ?? '-',
    outcome.id ?? '-',
    outcome.outcome,
    outcome.notification ?? outcome.status ?? '-',
  ];
  const columns = cells.map((cell, index) => cell.padEnd(COLUMN_WIDTHS[index]!)).join(' ');
  const detail = outcome.errorCode ? `${outcome.errorCode}: ${outcome.message}` : '';
  return (columns + detail).trimEnd();
}

/**
 * Waits until every accepted item or consultation has settled its notice, so that a command that runs its own
 * worker does not stop it with emails still to send.
 */
export async function waitForNotifications(session: Session, accepted: LineOutcome[], logger: Logger): Promise<void> {
  if (accepted.length === 0) {
    return;
  }
  logger.info({ deliveries: accepted.length }, 'Waiting for the notifications of the accepted deliveries');
  for (const outcome of accepted) {
    if (outcome.type === 'message') {
      await session.client.messageResult(outcome.id!);
    } else if (outcome.type === 'document') {
      await session.client.documentResult(outcome.id!);
    } else if (outcome.type === 'consultation') {
      await session.client.consultationResult(outcome.id!);
    } else if (outcome.type?.startsWith('account.')) {
      await session.client.accountEventSettled(outcome.id!);
    }
  }
}

/** Tells whether an outcome's workflow may still be notifying the patient. */
export function isAwaitingNotice(outcome: LineOutcome): boolean {
  return ['delivered', 'stored', 'consulted', 'applied'].includes(outcome.outcome);
}

/** Runs `mes submit`: one outcome per input line, on stdout, in input order. */
export async function submitCommand(settings: Settings, logger: Logger, options: SubmitOptions): Promise<LineOutcome[]> {
  await access(options.file).catch(() => {
    throw new Error(`Cannot read the batch file ${options.file}: check the path`);
  });

  const session = await openSession(settings, logger, { runWorker: options.runWorker });
  const outcomes: LineOutcome[] = [];
  try {
    const input = readline.createInterface({ input: createReadStream(options.file, 'utf8'), crlfDelay: Infinity });
    const accepted: LineOutcome[] = [];
    if (!options.json) {
      process.stdout.write(OUTCOME_HEADER + '\n');
    }
    await runBatch(
      { mes: session.client, patientSpace: session.patientSpace },
      input,
      (outcome) => {
        outcomes.push(outcome);
        if (isAwaitingNotice(outcome)) {
          accepted.push(outcome);
        }
        process.stdout.write((options.json ? JSON.stringify(outcome) : formatOutcome(outcome)) + '\n');
      },
      options.concurrency,
    );

    if (session.ownsWorker) {
      await waitForNotifications(session, accepted, logger);
    }
    return outcomes;
  } finally {
    await session.close();
  }
}
