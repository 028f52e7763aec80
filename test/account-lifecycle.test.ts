import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REJECTION_MESSAGES } from '../domain/rejections';
import { generateIns } from './support/identities';
import { documentFor, messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

/** Seconds instead of 6 weeks, 10 years and 3 months, so that the durable timers fire during the test. */
const DELAYS = { openingWindowMs: 3_000, archiveRetentionMs: 4_000, deletionDelayMs: 2_000 };
const ADDRESS = { lines: ['Mme Jeanne Exemple', '12 rue des Tilleuls'], postalCode: '69003', city: 'Lyon' };

let env: TestEnvironment;

beforeAll(async () => {
  env = await startTestEnvironment('account-lifecycle', { lifecycleDelays: DELAYS });
});

afterAll(async () => {
  await env?.stop();
});

async function statusOf(ins: string): Promise<string | undefined> {
  const result = await env.pool.query('SELECT status FROM accounts WHERE ins = $1', [ins]);
  return result.rows[0]?.status;
}

async function waitForStatus(ins: string, status: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await statusOf(ins)) !== status) {
    if (Date.now() > deadline) {
      throw new Error(`status stayed ${await statusOf(ins)}, expected ${status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function mailsTo(address: string) {
  return env.smtp.received.filter((mail) => mail.to.includes(address));
}

describe('opening', () => {
  it('emails the notice and becomes created after the window', async () => {
    const ins = generateIns();
    const amEmail = `am-${ins}@example.org`;

    expect(await env.client.applyAccountEvent({ type: 'account.opening', ins, amEmail })).toMatchObject({ status: 'opening' });
    await env.smtp.waitForMails(env.smtp.received.length + 1);
    const notice = mailsTo(amEmail)[0]!;
    expect(notice.subject).toBe('Ouverture de votre profil Mon espace santé');
    expect(notice.text).toMatch(/vous y opposer jusqu'au \d{1,2} \S+ \d{4}/);

    await waitForStatus(ins, 'created');
  });

  it('writes a letter when no email is known', async () => {
    const ins = generateIns();
    const applied = await env.client.applyAccountEvent({ type: 'account.opening', ins, amEmail: null, postalAddress: ADDRESS });

    const letterName = `opening-notice-${applied.id}.pdf`;
    const deadline = Date.now() + 10_000;
    while (!existsSync(path.join(env.lettersDir, letterName)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(readdirSync(env.lettersDir)).toContain(letterName);
    const trace = await env.pool.query("SELECT action FROM audit_events WHERE subject_id = $1 AND action = 'notification.sent-by-post'", [applied.id]);
    expect(trace.rows).toHaveLength(1);
  });

  it('ends as opposed when the holder objects during the window', async () => {
    const ins = generateIns();
    await env.client.applyAccountEvent({ type: 'account.opening', ins, amEmail: `am-${ins}@example.org` });
    await env.client.applyAccountEvent({ type: 'account.opposed', ins });

    await new Promise((resolve) => setTimeout(resolve, DELAYS.openingWindowMs + 1_500));
    expect(await statusOf(ins)).toBe('opposed');
  });
});

describe('activation', () => {
  it('sends one summary with the counts of waiting items', async () => {
    const ins = generateIns();
    const personalEmail = `perso-${ins}@example.org`;
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
    for (const item of [messageFor(ins), messageFor(ins), documentFor(ins)]) {
      await (item.type === 'message' ? env.client.sendMessage(item) : env.client.feedDocument(item));
    }

    await env.client.applyAccountEvent({ type: 'account.activated', ins, personalEmail });
    await env.smtp.waitForMails(env.smtp.received.length + 1);

    const summary = mailsTo(personalEmail);
    expect(summary).toHaveLength(1);
    expect(summary[0]!.subject).toBe('Bienvenue dans Mon espace santé');
    expect(summary[0]!.text).toContain("2 messages et 1 document reçus avant l'activation vous attendent");
  });

  it('after an opposition brings the space back', async () => {
    const ins = generateIns();
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
    await env.client.sendMessage(messageFor(ins));
    await env.client.applyAccountEvent({ type: 'account.opposed', ins });

    expect(await env.client.applyAccountEvent({ type: 'account.activated', ins, personalEmail: `perso-${ins}@example.org` })).toMatchObject({
      status: 'activated',
    });
    const keptMessages = await env.pool.query('SELECT count(*)::int AS n FROM messages m JOIN accounts a USING (patient_ref) WHERE a.ins = $1', [ins]);
    expect(keptMessages.rows[0].n).toBe(1);
  });

  it('after a closure brings the archived content back', async () => {
    const ins = generateIns();
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
    const message = messageFor(ins);
    await env.client.sendMessage(message);
    await env.client.applyAccountEvent({ type: 'account.closed', ins, reason: 'holder-request' });

    await env.client.applyAccountEvent({ type: 'account.activated', ins, personalEmail: `perso-${ins}@example.org` });
    expect(await statusOf(ins)).toBe('activated');

    // The retention timer of the earlier closure fires and changes nothing.
    await new Promise((resolve) => setTimeout(resolve, DELAYS.archiveRetentionMs + 1_500));
    expect(await statusOf(ins)).toBe('activated');
    const keptMessages = await env.pool.query('SELECT count(*)::int AS n FROM messages WHERE id = $1', [message.id]);
    expect(keptMessages.rows[0].n).toBe(1);
  });

  it('is refused after death with HOLDER_DECEASED', async () => {
    const ins = generateIns();
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
    await env.client.applyAccountEvent({ type: 'account.closed', ins, reason: 'death' });

    await expect(env.client.applyAccountEvent({ type: 'account.activated', ins, personalEmail: 'x@example.org' })).rejects.toMatchObject({
      code: 'HOLDER_DECEASED',
      message: REJECTION_MESSAGES.HOLDER_DECEASED,
    });
  });
});

describe('closure', () => {
  it('purges the archive after the retention and keeps the proof', async () => {
    const ins = generateIns();
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
    const message = messageFor(ins);
    await env.client.sendMessage(message);
    await env.client.feedDocument(documentFor(ins));
    await env.client.applyAccountEvent({ type: 'account.closed', ins, reason: 'holder-request' });

    const deadline = Date.now() + DELAYS.archiveRetentionMs + 10_000;
    let purges: Array<{ reason: string; messages_purged: number; documents_purged: number }> = [];
    while (purges.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const result = await env.pool.query(
        'SELECT reason, messages_purged, documents_purged FROM purges p JOIN accounts a USING (patient_ref) WHERE a.ins = $1',
        [ins],
      );
      purges = result.rows;
    }

    expect(purges).toEqual([{ reason: 'retention-elapsed', messages_purged: 1, documents_purged: 1 }]);
    const left = await env.pool.query('SELECT count(*)::int AS n FROM messages WHERE id = $1', [message.id]);
    expect(left.rows[0].n).toBe(0);
    const trace = await env.pool.query("SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1", [message.id]);
    expect(trace.rows[0].n).toBe(0);
  });

  it('with an express deletion blocks activation, purges and emails the holder', async () => {
    const ins = generateIns();
    const personalEmail = `perso-${ins}@example.org`;
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
    await env.client.applyAccountEvent({ type: 'account.activated', ins, personalEmail });
    await env.client.sendMessage(messageFor(ins));
    await env.client.applyAccountEvent({ type: 'account.closed', ins, reason: 'holder-request' });
    await env.client.applyAccountEvent({ type: 'account.deletion-requested', ins });

    await expect(env.client.applyAccountEvent({ type: 'account.activated', ins, personalEmail, id: `reactivate-${ins}` })).rejects.toMatchObject({
      code: 'DELETION_PENDING',
      message: REJECTION_MESSAGES.DELETION_PENDING,
    });

    const deadline = Date.now() + DELAYS.deletionDelayMs + 10_000;
    while (!mailsTo(personalEmail).some((mail) => mail.subject.startsWith('Suppression')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(mailsTo(personalEmail).map((mail) => mail.subject)).toContain('Suppression de votre profil Mon espace santé effectuée');
    const purges = await env.pool.query('SELECT reason FROM purges p JOIN accounts a USING (patient_ref) WHERE a.ins = $1', [ins]);
    expect(purges.rows).toEqual([{ reason: 'deletion-requested' }]);

    // Once purged, the holder may open a new space.
    expect(await env.client.applyAccountEvent({ type: 'account.activated', ins, personalEmail, id: `reopen-${ins}` })).toMatchObject({
      status: 'activated',
    });
  });
});
