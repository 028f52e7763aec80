import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIns } from './support/identities';
import { activatedPatient } from './support/patients';
import { documentFor, messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

let env: TestEnvironment;

beforeAll(async () => {
  env = await startTestEnvironment('repeated-submission');
});

afterAll(async () => {
  await env?.stop();
});

describe('repeated submission', () => {
  it('of a delivered message returns the first answer and delivers once', async () => {
    const { ins, email } = await activatedPatient(env.client);
    const message = messageFor(ins);

    const first = await env.client.sendMessage(message);
    await env.client.messageResult(message.id);
    const second = await env.client.sendMessage(message);

    expect(second).toEqual(first);
    const stored = await env.pool.query('SELECT count(*)::int AS n FROM messages WHERE id = $1', [message.id]);
    expect(stored.rows[0].n).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(env.smtp.received.filter((mail) => mail.to.includes(email))).toHaveLength(1);
  });

  it('running concurrently delivers once and gives every caller the same answer', async () => {
    const { ins, email } = await activatedPatient(env.client);
    const document = documentFor(ins);

    const answers = await Promise.all(Array.from({ length: 5 }, () => env.client.feedDocument(document)));
    for (const answer of answers) {
      expect(answer).toEqual(answers[0]);
    }
    await env.client.documentResult(document.id);

    const stored = await env.pool.query('SELECT count(*)::int AS n FROM documents WHERE id = $1', [document.id]);
    expect(stored.rows[0].n).toBe(1);
    const audit = await env.pool.query("SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'document.fed'", [
      document.id,
    ]);
    expect(audit.rows[0].n).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(env.smtp.received.filter((mail) => mail.to.includes(email))).toHaveLength(1);
  });

  it('of a rejected message returns the same rejection', async () => {
    const ins = generateIns();
    await env.client.applyAccountEvent({ type: 'account.opposed', ins });
    const message = messageFor(ins);

    await expect(env.client.sendMessage(message)).rejects.toMatchObject({ code: 'PATIENT_OPPOSED' });
    await expect(env.client.sendMessage(message)).rejects.toMatchObject({ code: 'PATIENT_OPPOSED' });
    const audit = await env.pool.query('SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1', [message.id]);
    expect(audit.rows[0].n).toBe(1);
  });

  it('of an account event without id applies it once', async () => {
    const ins = generateIns();
    const event = { type: 'account.created' as const, ins, amEmail: null };

    const first = await env.client.applyAccountEvent(event);
    const second = await env.client.applyAccountEvent(event);

    expect(second).toEqual(first);
    const account = await env.pool.query('SELECT version FROM accounts WHERE ins = $1', [ins]);
    expect(account.rows[0].version).toBe(1);
  });

  it('an account event the status does not allow is rejected with ACCOUNT_EVENT_REJECTED', async () => {
    const { ins } = await activatedPatient(env.client);

    await expect(env.client.applyAccountEvent({ type: 'account.opposed', ins })).rejects.toMatchObject({
      code: 'ACCOUNT_EVENT_REJECTED',
      message: expect.stringContaining('statut actuel « activé »'),
    });
    const account = await env.pool.query('SELECT status FROM accounts WHERE ins = $1', [ins]);
    expect(account.rows[0].status).toBe('activated');
  });
});
