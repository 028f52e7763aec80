import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activatedPatient } from './support/patients';
import { messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

let env: TestEnvironment;

beforeAll(async () => {
  env = await startTestEnvironment('smtp-failures');
});

afterAll(async () => {
  await env?.stop();
});

describe('notification email', () => {
  it('is retried after a 4xx reply and sent once the server accepts', async () => {
    const { ins, email } = await activatedPatient(env.client);
    env.smtp.failNext({ code: 451, message: 'Temporary local problem', times: 2 });
    const message = messageFor(ins);

    // The professional's response does not wait for the email.
    expect(await env.client.sendMessage(message)).toMatchObject({ outcome: 'delivered', notification: 'personal-email' });

    const result = await env.client.messageResult(message.id);
    expect(result).toMatchObject({ notificationStatus: 'sent', finalChannel: 'personal-email' });
    expect(env.smtp.received.filter((mail) => mail.to.includes(email))).toHaveLength(1);

    const record = await env.pool.query('SELECT status, send_attempts, last_error FROM notifications WHERE subject_id = $1', [message.id]);
    expect(record.rows[0]).toEqual({ status: 'sent', send_attempts: 3, last_error: expect.stringContaining('SMTP 451') });

    const history = await env.temporal.workflow.getHandle(`message-${message.id}`).fetchHistory();
    const failedAttempts = history.events?.filter((event) => event.activityTaskStartedEventAttributes?.attempt && event.activityTaskStartedEventAttributes.attempt > 1);
    expect(failedAttempts?.[0]?.activityTaskStartedEventAttributes?.attempt).toBe(3);
  });

  it('falls back to the yearly statement after a 5xx reply, without retrying', async () => {
    const { ins, email } = await activatedPatient(env.client);
    env.smtp.failNext({ code: 550, message: 'Mailbox unavailable', times: 1 });
    const message = messageFor(ins);

    await env.client.sendMessage(message);
    const result = await env.client.messageResult(message.id);
    expect(result).toMatchObject({ notificationStatus: 'queued-for-statement', finalChannel: 'yearly-statement' });
    expect(env.smtp.received.filter((mail) => mail.to.includes(email))).toHaveLength(0);

    const record = await env.pool.query('SELECT status, final_channel, last_error FROM notifications WHERE subject_id = $1', [message.id]);
    expect(record.rows[0]).toEqual({ status: 'queued-for-statement', final_channel: 'yearly-statement', last_error: expect.stringContaining('SMTP 550') });
    const trace = await env.pool.query("SELECT action, visible_to_patient FROM audit_events WHERE subject_id = $1 AND action LIKE 'notification.%'", [
      message.id,
    ]);
    expect(trace.rows).toEqual([{ action: 'notification.fallback-to-statement', visible_to_patient: true }]);
  });
});
