import path from 'node:path';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Settings } from '../../config/settings';
import type { YearlyStatementProgress } from '../../workflows/yearly-statement';
import { progressQuery } from '../../workflows/yearly-statement';
import { lettersDirOf } from '../../mail/create-mail-sender';
import { countStatementRecipients } from '../../store/statements';
import { openSession } from '../session';

/** Draws a one-line progress bar on stderr, so that stdout keeps only the result. */
function drawProgress(progress: YearlyStatementProgress, total: number | null): void {
  const width = 30;
  const ratio = total ? Math.min(1, progress.accountsSeen / total) : 0;
  const bar = '#'.repeat(Math.round(ratio * width)).padEnd(width, '.');
  const count = total === null ? `${progress.accountsSeen}` : `${progress.accountsSeen}/${total}`;
  process.stderr.write(`\r[${bar}] ${count} accounts, ${progress.lettersSent} letters sent, ${progress.alreadySent} already sent`);
}

/**
 * Runs `mes statement run --year YYYY`: starts the yearly statement workflow for that year (the same one the
 * Schedule starts) and shows its progress until it finishes. Returns the exit code.
 */
export async function statementRunCommand(settings: Settings, logger: Logger, year: number): Promise<number> {
  const session = await openSession(settings, logger, { runWorker: true });
  try {
    const client = session.temporal;
    const workflowId = `yearly-statement-${year}`;
    let handle;
    try {
      handle = await client.workflow.start('yearlyStatement', {
        workflowId,
        taskQueue: settings.taskQueue,
        args: [{ year }],
        // A batch still running is joined; a finished one runs again and sends only what is missing.
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        throw error;
      }
      handle = client.workflow.getHandle(workflowId);
    }

    const total = session.pool ? await countStatementRecipients(session.pool, year) : null;
    const result = handle.result() as Promise<YearlyStatementProgress>;
    let finished = false;
    void result.finally(() => {
      finished = true;
    });
    while (!finished) {
      try {
        drawProgress(await handle.query(progressQuery), total);
      } catch {
        // The run may be between two continue-as-new runs; the next poll reads the new one.
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const progress = await result;
    drawProgress(progress, total);
    process.stderr.write('\n');
    const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
    process.stdout.write(
      `Statement ${year}: ${plural(progress.lettersSent, 'letter')} sent, ${progress.alreadySent} already sent before, over ${plural(progress.accountsSeen, 'eligible account')}.\n`,
    );
    if (!settings.temporalAddress) {
      process.stdout.write(`Letters and manifest: ${path.join(lettersDirOf(settings), String(year))}\n`);
    }
    return 0;
  } finally {
    await session.close();
  }
}
