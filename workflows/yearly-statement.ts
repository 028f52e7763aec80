import {
  continueAsNew,
  defineQuery,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import type { YearlyStatementInput, YearlyStatementProgress } from '../contracts/yearly-statement';
import { STORE_ACTIVITY_OPTIONS } from './activity-options';

const { listStatementRecipients, writeStatementManifest } = proxyActivities<Activities>(STORE_ACTIVITY_OPTIONS);

/** A chunk writes up to `chunkSize` letters; the heartbeat timeout catches a worker killed in the middle. */
const { sendStatements } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export type { YearlyStatementInput, YearlyStatementProgress };

/** Query that returns the batch's progress. */
export const progressQuery = defineQuery<YearlyStatementProgress>('progress');

function chunksOf<Item>(items: Item[], size: number): Item[][] {
  const chunks: Item[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

/**
 * Workflow: sends the yearly activity statement to every eligible account, page by page in patient reference
 * order, with a bounded number of letter-writing activities in flight. It continues as new every few pages, so
 * its history stays far below Temporal's limits, and writes the print provider's manifest at the end. Each
 * account gets at most one statement a year, also when the batch is run twice or a worker dies.
 */
export async function yearlyStatement(input: YearlyStatementInput = {}): Promise<YearlyStatementProgress> {
  const year = input.year ?? workflowInfo().startTime.getUTCFullYear() - 1;
  const pageSize = input.pageSize ?? 500;
  const chunkSize = input.chunkSize ?? 50;
  const maxConcurrentChunks = input.maxConcurrentChunks ?? 4;
  const pagesPerRun = input.pagesPerRun ?? 50;
  const progress: YearlyStatementProgress = input.progress
    ? { ...input.progress, runs: input.progress.runs + 1 }
    : { year, accountsSeen: 0, lettersSent: 0, alreadySent: 0, runs: 1, done: false };
  let after = input.after ?? '';

  setHandler(progressQuery, () => progress);
  const show = () =>
    setCurrentDetails(
      `Statement ${year}: ${progress.accountsSeen} accounts, ${progress.lettersSent} letters sent, ${progress.alreadySent} already sent (run ${progress.runs})`,
    );
  show();

  for (let page = 0; page < pagesPerRun; page += 1) {
    const patientRefs = await listStatementRecipients({ year, after, limit: pageSize });
    if (patientRefs.length === 0) {
      await writeStatementManifest({ year });
      progress.done = true;
      show();
      log.info('Yearly statement batch done', { year, lettersSent: progress.lettersSent, alreadySent: progress.alreadySent });
      return progress;
    }

    const chunks = chunksOf(patientRefs, chunkSize);
    for (const group of chunksOf(chunks, maxConcurrentChunks)) {
      const results = await Promise.all(group.map((chunk) => sendStatements({ year, patientRefs: chunk })));
      for (const result of results) {
        progress.lettersSent += result.sent;
        progress.alreadySent += result.alreadySent;
      }
    }
    progress.accountsSeen += patientRefs.length;
    after = patientRefs[patientRefs.length - 1]!;
    show();
  }

  return continueAsNew<typeof yearlyStatement>({ year, pageSize, chunkSize, maxConcurrentChunks, pagesPerRun, after, progress });
}
