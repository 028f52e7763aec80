import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIns } from './support/identities';
import { messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

let env: TestEnvironment;

beforeAll(async () => {
  env = await startTestEnvironment('status-change-during-delivery');
});

afterAll(async () => {
  await env?.stop();
});

/**
 * Waits until the notice of an item has failed once. Each sending attempt reads the address just before it
 * sends, so the account change must come after an attempt, for the retry to see it.
 */
async function waitForFailedAttempt(itemId: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const result = await env.pool.query('SELECT send_attempts FROM notifications WHERE subject_id = $1', [itemId]);
    if ((result.rows[0]?.send_attempts ?? 0) >= 1) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`no failed attempt recorded for ${itemId}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Holds notification emails back with 4xx replies while the test changes the account, then lets them through. */
async function withSmtpHeldBack(work: () => Promise<void>): Promise<void> {
  env.smtp.failNext({ code: 451, message: 'Try again later', times: 1_000 });
  try {
    await work();
  } finally {
    env.smtp.failNext({ code: 451, message: 'Try again later', times: 0 });
  }
}

describe('status change during delivery', () => {
  it('sends a notice not yet sent to the address valid at sending time', async () => {
    const ins = generateIns();
    const amEmail = `am-${ins}@example.org`;
    const personalEmail = `perso-${ins}@example.org`;
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail });
    const message = messageFor(ins);

    await withSmtpHeldBack(async () => {
      expect(await env.client.sendMessage(message)).toMatchObject({ notification: 'am-email' });
      await waitForFailedAttempt(message.id);
      await env.client.applyAccountEvent({ type: 'account.activated', ins, personalEmail });
    });

    expect(await env.client.messageResult(message.id)).toMatchObject({ notificationStatus: 'sent', finalChannel: 'personal-email' });
    const notices = env.smtp.received.filter((mail) => mail.subject === 'Nouveau message dans Mon espace santé');
    expect(notices.filter((mail) => mail.to.includes(personalEmail))).toHaveLength(1);
    expect(notices.filter((mail) => mail.to.includes(amEmail))).toHaveLength(0);
  });

  it.each([
    ['closes', { type: 'account.closed', reason: 'holder-request' }],
    ['is opposed', { type: 'account.opposed' }],
  ] as const)('sends nothing when the account %s before the notice goes out', async (_case, event) => {
    const ins = generateIns();
    const amEmail = `am-${ins}@example.org`;
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail });
    const message = messageFor(ins);

    await withSmtpHeldBack(async () => {
      await env.client.sendMessage(message);
      await waitForFailedAttempt(message.id);
      await env.client.applyAccountEvent({ ...event, ins });
    });

    expect(await env.client.messageResult(message.id)).toMatchObject({ notificationStatus: 'cancelled', finalChannel: 'none' });
    expect(env.smtp.received.filter((mail) => mail.to.includes(amEmail))).toHaveLength(0);
  });

  it('delivers nothing into a space closed concurrently', async () => {
    const ins = generateIns();
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
    const messages = Array.from({ length: 8 }, () => messageFor(ins));

    // Deliveries race with the closure: each one reads the account either before or after it, never half-way.
    const closure = env.client.applyAccountEvent({ type: 'account.closed', ins, reason: 'holder-request' });
    const outcomes = await Promise.allSettled(messages.map((message) => env.client.sendMessage(message)));
    await closure;

    // The closure's trace time is taken before it waits for the deliveries' row locks, so times cannot order them.
    // Instead, every accepted message must be stored, every other one rejected as closed, and nothing let in after.
    const stored = await env.pool.query(
      'SELECT id FROM messages WHERE patient_ref = (SELECT patient_ref FROM accounts WHERE ins = $1)',
      [ins],
    );
    const accepted = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    expect(stored.rows).toHaveLength(accepted);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toMatchObject({ code: 'ACCOUNT_CLOSED' });
      }
    }
    await expect(env.client.sendMessage(messageFor(ins))).rejects.toMatchObject({ code: 'ACCOUNT_CLOSED' });
  });
});
