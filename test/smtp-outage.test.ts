import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../worker/embedded-postgres';
import { activatedPatient } from './support/patients';
import { messageFor } from './support/requests';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

let env: TestEnvironment;
let port: number;
let lateServer: SmtpTestServer | null = null;

beforeAll(async () => {
  port = await findFreePort();
  env = await startTestEnvironment('smtp-outage', { smtpUrl: `smtp://127.0.0.1:${port}` });
});

afterAll(async () => {
  // The worker's pooled SMTP connection must close first: the server's close waits for its clients.
  await env?.stop();
  await lateServer?.close();
});

describe('SMTP relay down', () => {
  it('retries refused connections until the relay is back', async () => {
    const { ins, email } = await activatedPatient(env.client);
    const message = messageFor(ins);

    // Nothing listens on the port yet: every attempt gets a refused connection.
    expect(await env.client.sendMessage(message)).toMatchObject({ outcome: 'delivered' });
    const deadline = Date.now() + 20_000;
    let attempts = 0;
    while (attempts < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const result = await env.pool.query('SELECT send_attempts, last_error FROM notifications WHERE subject_id = $1', [message.id]);
      attempts = result.rows[0]?.send_attempts ?? 0;
      if (attempts >= 1) {
        expect(result.rows[0].last_error).toMatch(/ESOCKET|ECONNECTION/);
      }
    }
    expect(attempts).toBeGreaterThanOrEqual(2);

    lateServer = await startSmtpTestServer(port);
    expect(await env.client.messageResult(message.id)).toMatchObject({ notificationStatus: 'sent', finalChannel: 'personal-email' });
    expect(lateServer.received.filter((mail) => mail.to.includes(email))).toHaveLength(1);
  });
});
