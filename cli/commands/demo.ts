import { createReadStream, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Settings } from '../../config/settings';
import { outboxDirOf } from '../../mail/create-mail-sender';
import { runBatch, type LineOutcome } from '../batch-runner';
import { openSession } from '../session';
import { NoticeWaiter } from '../notice-waiter';
import readline from 'node:readline';

/** The demo batch: synthetic identities covering every cell of the reference table. */
export const DEMO_FILE = path.join(__dirname, '..', '..', 'examples', 'demo.jsonl');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** Runs `mes demo`: submits the demo batch, prints one row per line, then where the emails are. */
export async function demoCommand(settings: Settings, logger: Logger): Promise<void> {
  const session = await openSession(settings, logger, { runWorker: true });
  const outcomes: LineOutcome[] = [];
  try {
    const input = readline.createInterface({ input: createReadStream(DEMO_FILE, 'utf8'), crlfDelay: Infinity });
    // Notifications continue after the decisions are returned: wait for them, so the listed emails exist.
    const waiter = new NoticeWaiter(session.client);
    await runBatch({ mes: session.client, patientSpace: session.patientSpace }, input, (outcome) => {
      outcomes.push(outcome);
      waiter.track(outcome);
    });
    logger.info({ deliveries: waiter.tracked }, 'Waiting for the notifications of the accepted deliveries');
    await waiter.settled();
  } finally {
    await session.close();
  }

  const rows = [['line', 'type', 'id', 'outcome', 'notification / status', 'error code']];
  for (const outcome of outcomes) {
    rows.push([
      String(outcome.line),
      outcome.type ?? '?',
      outcome.id ?? '',
      outcome.outcome,
      outcome.notification ?? outcome.status ?? '',
      outcome.errorCode ?? '',
    ]);
  }
  process.stdout.write(`Demo batch ${path.relative(process.cwd(), DEMO_FILE)}:\n\n${table(rows)}\n\n`);

  for (const outcome of outcomes.filter((item) => item.errorCode)) {
    process.stdout.write(`line ${outcome.line} ${outcome.errorCode}: ${outcome.message}\n`);
  }

  if (settings.smtpUrl) {
    process.stdout.write(`\nEmails were sent to the SMTP relay of SMTP_URL.\n`);
  } else {
    const outbox = outboxDirOf(settings);
    const files = (existsSync(outbox) ? readdirSync(outbox) : []).filter((name) => name.endsWith('.eml'));
    process.stdout.write(`\n${files.length} emails are in ${outbox}:\n${files.map((name) => `  ${name}`).join('\n')}\n`);
  }
}
