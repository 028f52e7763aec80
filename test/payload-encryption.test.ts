import { randomBytes } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec, UnknownPayloadKeyError } from '../codec/aes-gcm-codec';
import { startCodecServer } from '../codec/codec-server';
import { parsePayloadKeys } from '../config/payload-keys';
import { activatedPatient } from './support/patients';
import { HEALTH_CONTENT, messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

let env: TestEnvironment;

beforeAll(async () => {
  env = await startTestEnvironment('payload-encryption');
});

afterAll(async () => {
  await env?.stop();
});

describe('payload encryption', () => {
  it('keeps health content and the INS out of the raw workflow history', async () => {
    const { ins } = await activatedPatient(env.client);
    const message = messageFor(ins);
    await env.client.sendMessage(message);
    expect(await env.client.messageResult(message.id)).toMatchObject({ notificationStatus: 'sent' });

    const response = await env.temporal.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: `message-${message.id}` },
    });
    const raw = Buffer.from(temporal.api.history.v1.History.encode(response.history!).finish());
    // The search works on these bytes: the encoding name of the encrypted payloads is found.
    expect(raw.includes(Buffer.from('binary/encrypted'))).toBe(true);
    for (const secret of [ins, message.body, message.subject, HEALTH_CONTENT.professional, `perso-${ins}@example.org`]) {
      expect(raw.includes(Buffer.from(secret)), secret).toBe(false);
    }
  });

  it('decodes payloads of an older key after a rotation', async () => {
    const old = `k1:${randomBytes(32).toString('hex')}`;
    const rotated = `k2:${randomBytes(32).toString('hex')},${old}`;
    const before = parsePayloadKeys(old);
    const after = parsePayloadKeys(rotated);
    const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"a":1}') };

    const [encrypted] = await new AesGcmPayloadCodec(before.keys, before.currentKeyId).encode([payload]);
    const [decrypted] = await new AesGcmPayloadCodec(after.keys, after.currentKeyId).decode([encrypted!]);
    expect(Buffer.from(decrypted!.data!).toString()).toBe('{"a":1}');

    const [newer] = await new AesGcmPayloadCodec(after.keys, after.currentKeyId).encode([payload]);
    expect(Buffer.from(newer!.metadata!['encryption-key-id']!).toString()).toBe('k2');
    await expect(new AesGcmPayloadCodec(before.keys, before.currentKeyId).decode([newer!])).rejects.toBeInstanceOf(UnknownPayloadKeyError);
  });
});

describe('codec server', () => {
  it('decodes for the Web UI origin only', async () => {
    const { keys, currentKeyId } = parsePayloadKeys(`k1:${randomBytes(32).toString('hex')}`);
    const codec = new AesGcmPayloadCodec(keys, currentKeyId);
    const server = await startCodecServer(codec, { port: 0, allowedOrigins: ['http://127.0.0.1:8233'] });
    try {
      const [encrypted] = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"Bonjour"') }]);
      const body = JSON.stringify({
        payloads: [
          {
            metadata: Object.fromEntries(Object.entries(encrypted!.metadata!).map(([key, value]) => [key, Buffer.from(value!).toString('base64')])),
            data: Buffer.from(encrypted!.data!).toString('base64'),
          },
        ],
      });

      const response = await fetch(`${server.url}/decode`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'http://127.0.0.1:8233', 'X-Namespace': 'default' },
        body,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
      const decoded = (await response.json()) as { payloads: Array<{ data: string }> };
      expect(Buffer.from(decoded.payloads[0]!.data, 'base64').toString()).toBe('"Bonjour"');

      const foreign = await fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example' } });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await server.stop();
    }
  });
});
