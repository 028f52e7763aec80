import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../worker/embedded-postgres';
import { activatedPatient } from './support/patients';
import { messageFor } from './support/requests';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

let env: TestEnvironment;
let port: number;
let silent: net.Server | null = null;
const silentSockets = new Set<net.Socket>();
let relay: SmtpTestServer | null = null;

beforeAll(async () => {
  port = await findFreePort();
  // One second for each timeout, so that a hanging relay fails each attempt quickly.
  env = await startTestEnvironment('smtp-timeouts', { smtpUrl: `smtp://127.0.0.1:${port}`, smtpTimeoutMs: 1_000 });
});

afterAll(async () => {
  await env?.stop();
  await relay?.close();
});

/** Waits until the notification of the item has failed `count` times, and returns its last error. */
async function failedAttempts(itemId: string, count: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const result = await env.pool.query('SELECT send_attempts, last_error FROM notifications WHERE subject_id = $1', [itemId]);
    if ((result.rows[0]?.send_attempts ?? 0) >= count) {
      return result.rows[0].last_error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The notification of ${itemId} did not fail ${count} times within 30 s`);
}

describe('SMTP relay that does not answer', () => {
  it('retries a relay that never greets', async () => {
    // A TCP server that accepts connections and sends nothing, as a hung relay does.
    silent = net.createServer((socket) => {
      silentSockets.add(socket);
      socket.on('close', () => silentSockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent!.listen(port, '127.0.0.1', resolve));

    const { ins, email } = await activatedPatient(env.client);
    const message = messageFor(ins);
    expect(await env.client.sendMessage(message)).toMatchObject({ outcome: 'delivered', notification: 'personal-email' });
    expect(await failedAttempts(message.id, 2)).toMatch(/ETIMEDOUT/);

    for (const socket of silentSockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => silent!.close(() => resolve()));
    relay = await startSmtpTestServer(port);

    expect(await env.client.messageResult(message.id)).toMatchObject({ notificationStatus: 'sent', finalChannel: 'personal-email' });
    expect(relay.received.filter((mail) => mail.to.includes(email))).toHaveLength(1);
  });

  it('retries a DATA reply that never comes', async () => {
    const server = relay!;
    const { ins, email } = await activatedPatient(env.client);
    const message = messageFor(ins);

    server.stallNext(1);
    await env.client.sendMessage(message);

    expect(await env.client.messageResult(message.id)).toMatchObject({ notificationStatus: 'sent', finalChannel: 'personal-email' });
    expect(server.received.filter((mail) => mail.to.includes(email))).toHaveLength(1);
    const record = await env.pool.query('SELECT send_attempts, last_error FROM notifications WHERE subject_id = $1', [message.id]);
    expect(record.rows[0]).toEqual({ send_attempts: 2, last_error: expect.stringMatching(/ETIMEDOUT/) });
  });
});
