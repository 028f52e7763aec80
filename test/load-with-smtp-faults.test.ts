import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryAccepted } from '../contracts/delivery-result';
import type { DocumentRequest } from '../contracts/document-request';
import type { MessageRequest } from '../contracts/message-request';
import { MesRejectionError } from '../client/rejection-error';
import { patientIn, type TestPatientStatus } from './support/patients';
import { countStoredItems, documentFor, messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

/** Deliveries submitted: a few thousand, the most this suite can afford on 2 cores next to the other files. */
const DELIVERIES = 2_000;

/** Requests in flight at once, as a backend with a bounded pool of connections sends them. */
const CONCURRENCY = 50;

/** Share of the deliveries per account status, close to a day's traffic: mostly created and activated accounts. */
const STATUS_MIX: Array<[TestPatientStatus, number]> = [
  ['activated', 0.55],
  ['created-am', 0.3],
  ['created-none', 0.05],
  ['opposed', 0.05],
  ['closed', 0.05],
];

/** Patients per status: the deliveries of a status are spread over them. */
const PATIENTS_PER_STATUS = 6;

let env: TestEnvironment;

beforeAll(async () => {
  env = await startTestEnvironment('load-with-smtp-faults');
});

afterAll(async () => {
  await env?.stop();
});

/** Picks the status of the delivery at `index`, spreading the shares of `STATUS_MIX` evenly over the run. */
function statusAt(index: number): TestPatientStatus {
  const position = (index * 0.618_034) % 1;
  let cumulated = 0;
  for (const [status, share] of STATUS_MIX) {
    cumulated += share;
    if (position < cumulated) {
      return status;
    }
  }
  return STATUS_MIX[0]![0];
}

/** Runs `task` over every item with at most `limit` running at once. */
async function forEachBounded<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await task(item);
    }
  });
  await Promise.all(lanes);
}

describe('a few thousand deliveries while the relay fails now and then', () => {
  it('reconciles counts with no email twice', { timeout: 600_000 }, async () => {
    const insByStatus = new Map<TestPatientStatus, string[]>();
    for (const [status] of STATUS_MIX) {
      const patients: string[] = [];
      for (let index = 0; index < PATIENTS_PER_STATUS; index += 1) {
        patients.push(await patientIn(env.client, status));
      }
      insByStatus.set(status, patients);
    }

    // One email in 8 gets a 451 and is retried; one in 101 gets a 550 and falls back to the yearly statement.
    env.smtp.failWhen((sequence) =>
      sequence % 101 === 0 ? { code: 550, message: 'Mailbox unavailable' } : sequence % 8 === 3 ? { code: 451, message: 'Try again later' } : null,
    );

    const items: Array<MessageRequest | DocumentRequest> = Array.from({ length: DELIVERIES }, (_, index) => {
      const patients = insByStatus.get(statusAt(index))!;
      const ins = patients[index % patients.length]!;
      return index % 2 === 0 ? messageFor(ins) : documentFor(ins);
    });
    const answers = new Map<string, DeliveryAccepted | string>();
    await forEachBounded(items, CONCURRENCY, async (item) => {
      try {
        answers.set(item.id, item.type === 'message' ? await env.client.sendMessage(item) : await env.client.feedDocument(item));
      } catch (error) {
        if (!(error instanceof MesRejectionError)) {
          throw error;
        }
        answers.set(item.id, error.code);
      }
    });

    // Submitted = accepted + rejected, and each status gave the outcome of the reference table.
    expect(answers.size).toBe(DELIVERIES);
    const accepted = items.filter((item) => typeof answers.get(item.id) !== 'string');
    const rejected = items.filter((item) => typeof answers.get(item.id) === 'string');
    const refusedStatuses = new Set(['opposed', 'closed']);
    expect(rejected.map((item) => item.ins).every((ins) => refusedStatuses.has(statusOfIns(insByStatus, ins)))).toBe(true);
    expect(accepted.map((item) => item.ins).every((ins) => !refusedStatuses.has(statusOfIns(insByStatus, ins)))).toBe(true);
    expect(accepted.length + rejected.length).toBe(DELIVERIES);
    expect(rejected.length).toBeGreaterThan(0);

    // Every accepted item's workflow finishes with its notice settled.
    const settled = new Map<string, string>();
    await forEachBounded(accepted, CONCURRENCY, async (item) => {
      const result = item.type === 'message' ? await env.client.messageResult(item.id) : await env.client.documentResult(item.id);
      settled.set(item.id, result.notificationStatus);
    });
    expect([...settled.values()].every((status) => status === 'sent' || status === 'queued-for-statement')).toBe(true);

    const ids = items.map((item) => item.id);
    expect(await countStoredItems(env.pool, ids)).toBe(accepted.length);
    const decisions = await env.pool.query(
      "SELECT count(*)::int AS n, count(DISTINCT subject_id)::int AS items FROM audit_events WHERE subject_id = ANY ($1) AND action IN ('message.received', 'document.fed')",
      [ids],
    );
    expect(decisions.rows[0]).toEqual({ n: DELIVERIES, items: DELIVERIES });

    // Notices sent = emails received, each once; permanent refusals = notices left to the yearly statement; every
    // refused attempt is counted on its notification.
    const notifications = await env.pool.query(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent,
              count(*) FILTER (WHERE status = 'queued-for-statement' AND last_error LIKE '%SMTP 550%')::int AS refused,
              coalesce(sum(send_attempts), 0)::int AS attempts
       FROM notifications WHERE subject_id = ANY ($1)`,
      [ids],
    );
    const { sent, refused, attempts } = notifications.rows[0];
    const emails = env.smtp.received;
    expect(new Set(emails.map((mail) => mail.messageId)).size).toBe(emails.length);
    expect(sent).toBe(emails.length);
    expect(refused).toBe(env.smtp.refusals.filter((code) => code === 550).length);
    expect(attempts).toBe(emails.length + env.smtp.refusals.length);
    expect(env.smtp.refusals.filter((code) => code === 451).length).toBeGreaterThan(DELIVERIES / 20);
    expect([...settled.values()].filter((status) => status === 'sent')).toHaveLength(sent);
  });
});

function statusOfIns(insByStatus: Map<TestPatientStatus, string[]>, ins: string): TestPatientStatus {
  for (const [status, patients] of insByStatus) {
    if (patients.includes(ins)) {
      return status;
    }
  }
  throw new Error('An item went to a patient the test did not create');
}
