import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import readline from 'node:readline';
import type { Logger } from 'pino';
import type { Settings } from '../../config/settings';
import { runBatch, type LineOutcome } from '../batch-runner';
import { NoticeWaiter } from '../notice-waiter';
import { openSession } from '../session';

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

/** Runs `mes submit`: one outcome per input line, on stdout, in input order. */
export async function submitCommand(settings: Settings, logger: Logger, options: SubmitOptions): Promise<void> {
  await access(options.file).catch(() => {
    throw new Error(`Cannot read the batch file ${options.file}: check the path`);
  });

  const session = await openSession(settings, logger, { runWorker: options.runWorker });
  try {
    const input = readline.createInterface({ input: createReadStream(options.file, 'utf8'), crlfDelay: Infinity });
    // Only a process that runs the worker must wait for the notices before it stops.
    const waiter = session.ownsWorker ? new NoticeWaiter(session.client) : null;
    if (!options.json) {
      process.stdout.write(OUTCOME_HEADER + '\n');
    }
    await runBatch(
      { mes: session.client, patientSpace: session.patientSpace },
      input,
      (outcome) => {
        waiter?.track(outcome);
        process.stdout.write((options.json ? JSON.stringify(outcome) : formatOutcome(outcome)) + '\n');
      },
      options.concurrency,
    );

    if (waiter && waiter.tracked > 0) {
      logger.info({ deliveries: waiter.tracked }, 'Waiting for the notifications of the accepted deliveries');
      await waiter.settled();
    }
  } finally {
    await session.close();
  }
}
