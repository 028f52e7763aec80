import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import type { Logger } from 'pino';

/** ID of the Schedule that starts the yearly statement, one per namespace. */
export const STATEMENT_SCHEDULE_ID = 'yearly-statement';

/**
 * Creates the Schedule of the yearly activity statement if it does not exist yet: by default on 2 January at
 * 03:00, Paris time, for the past calendar year (the workflow takes the year before its start). `cron`, when
 * given, replaces that calendar. Existing Schedules are left as they are, so that operators' changes survive.
 */
export async function ensureStatementSchedule(client: Client, taskQueue: string, logger: Logger, cron?: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: STATEMENT_SCHEDULE_ID,
      spec: cron
        ? { cronExpressions: [cron], timezone: 'Europe/Paris' }
        : { calendars: [{ month: 'JANUARY', dayOfMonth: 2, hour: 3 }], timezone: 'Europe/Paris' },
      action: {
        type: 'startWorkflow',
        workflowType: 'yearlyStatement',
        taskQueue,
        args: [{}],
        workflowId: 'yearly-statement-scheduled',
      },
      policies: { overlap: 'SKIP' },
    });
    logger.info({ scheduleId: STATEMENT_SCHEDULE_ID }, 'Yearly statement Schedule created');
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) {
      throw error;
    }
  }
}
