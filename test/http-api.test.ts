import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PatientHistoryClient } from '../client/patient-history-client';
import { OPENAPI_FILE_NAME, SCHEMAS_DIR } from '../cli/commands/schemas';
import { MAX_DOCUMENT_BYTES } from '../contracts/document-request';
import { REJECTION_MESSAGES } from '../domain/rejections';
import { startApiServer, type RunningApiServer } from '../http/api-server';
import { MAX_BODY_BYTES } from '../http/request-input';
import type { ApiServices } from '../http/route';
import { generateIns, withWrongKey } from './support/identities';
import { accountEventsToReach, REJECTED_DELIVERIES, type TestPatientStatus } from './support/patients';
import { consultationFor, documentFor, HEALTH_CONTENT, messageFor, newProfessional } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

/** Maximum wait of a `?wait=true` request in this file: short, so that the test of its timeout stays quick. */
const MAX_WAIT_MS = 3_000;
const TOKEN = randomBytes(24).toString('hex');

let env: TestEnvironment;
let api: RunningApiServer;
let apiWithoutToken: RunningApiServer;
let services: ApiServices;
/** The JSON lines both servers logged. */
const logLines: Array<Record<string, unknown>> = [];
const rawLog: string[] = [];

beforeAll(async () => {
  env = await startTestEnvironment('http-api');
  const logger = pino(
    { level: 'info' },
    {
      write(line: string) {
        rawLog.push(line);
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  services = {
    mes: env.client,
    temporal: env.temporal,
    history: new PatientHistoryClient({ pool: env.pool, pseudonymKey: env.pseudonymKey }),
    maxWaitMs: MAX_WAIT_MS,
  };
  api = await startApiServer({ host: '127.0.0.1', port: 0, token: TOKEN, services, logger });
  apiWithoutToken = await startApiServer({ host: '127.0.0.1', port: 0, token: undefined, services, logger });
});

afterAll(async () => {
  await api?.stop();
  await apiWithoutToken?.stop();
  await env?.stop();
});

interface CallOptions {
  /** Sent as JSON; `rawBody` sends text or bytes as they are instead. */
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** The bearer token to send; null sends no `Authorization` header. */
  token?: string | null;
  server?: RunningApiServer;
}

interface CallResult {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  elapsedMs: number;
}

/** Calls the API over HTTP on 127.0.0.1, with the token unless `options.token` sets another, and parses the JSON response. */
async function call(method: string, pathAndQuery: string, options: CallOptions = {}): Promise<CallResult> {
  const token = options.token === undefined ? TOKEN : options.token;
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
    ...options.headers,
  };

  const startedAt = Date.now();
  const response = await fetch(`${(options.server ?? api).url}${pathAndQuery}`, { method, headers, body: payload });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as Record<string, unknown>, elapsedMs: Date.now() - startedAt };
}

/** Brings a new synthetic patient to a status through `POST /v1/account-events`, and returns the INS. */
async function patientVia(status: TestPatientStatus): Promise<string> {
  const ins = generateIns();
  for (const event of accountEventsToReach(status, ins)) {
    const response = await call('POST', '/v1/account-events', { body: event });
    expect(response.status).toBe(202);
  }
  return ins;
}

/** Reads a status resource until its state is `completed`, and returns it. */
async function completedStatus(location: string): Promise<Record<string, unknown>> {
  return vi.waitFor(
    async () => {
      const response = await call('GET', location);
      expect(response.status).toBe(200);
      expect(response.body.state).toBe('completed');
      return response.body;
    },
    { timeout: 20_000, interval: 200 },
  );
}

async function countRows(table: 'messages' | 'documents', id: string): Promise<number> {
  const result = await env.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE id = $1`, [id]);
  return result.rows[0].n as number;
}

async function workflowExists(workflowId: string): Promise<boolean> {
  try {
    await env.temporal.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      return false;
    }
    throw error;
  }
}

function mailsTo(address: string) {
  return env.smtp.received.filter((mail) => mail.to.includes(address));
}

describe('POST /v1/messages', () => {
  it('answers 202 with Location, then the status completes', async () => {
    const ins = await patientVia('activated');
    const message = messageFor(ins);

    const response = await call('POST', '/v1/messages', { body: message });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/v1/messages/${message.id}`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({ outcome: 'delivered', id: message.id, notification: 'personal-email', readableByPatient: true });

    const status = await completedStatus(response.headers.get('location')!);
    expect(status).toEqual({
      state: 'completed',
      outcome: 'delivered',
      id: message.id,
      notification: 'personal-email',
      readableByPatient: true,
      notificationStatus: 'sent',
      finalChannel: 'personal-email',
    });
    expect(mailsTo(`perso-${ins}@example.org`)).toHaveLength(1);
    expect(await countRows('messages', message.id)).toBe(1);
  });

  it('repeated id returns the first response, delivers once', async () => {
    const ins = await patientVia('activated');
    const message = messageFor(ins);

    const first = await call('POST', '/v1/messages', { body: message });
    const second = await call('POST', '/v1/messages', { body: { ...message, subject: 'Autre objet' } });
    const waited = await call('POST', '/v1/messages?wait=true', { body: message });

    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(waited.status).toBe(200);
    expect(waited.body).toMatchObject({ ...first.body, notificationStatus: 'sent' });
    expect(await countRows('messages', message.id)).toBe(1);
    expect(mailsTo(`perso-${ins}@example.org`)).toHaveLength(1);
  });
});

describe('reference table over HTTP', () => {
  it.each([
    ['activated', 'message', 'delivered', 'personal-email', true, 'sent'],
    ['activated', 'document', 'stored', 'personal-email', true, 'sent'],
    ['created-am', 'message', 'delivered', 'am-email', false, 'sent'],
    ['created-am', 'document', 'stored', 'am-email', false, 'sent'],
    ['created-none', 'message', 'delivered', 'yearly-statement', false, 'queued-for-statement'],
    ['created-none', 'document', 'stored', 'yearly-statement', false, 'queued-for-statement'],
  ] as const)('%s account: %s with ?wait=true answers 200 %s by %s', async (status, kind, outcome, channel, readable, notificationStatus) => {
    const ins = await patientVia(status);
    const item = kind === 'message' ? messageFor(ins) : documentFor(ins);

    const response = await call('POST', `/v1/${kind}s?wait=true`, { body: item });

    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.body).toEqual({
      outcome,
      id: item.id,
      notification: channel,
      readableByPatient: readable,
      notificationStatus,
      finalChannel: channel,
    });
    expect(await countRows(`${kind}s`, item.id)).toBe(1);
    // The synchronous response comes after the notification, so the email has already arrived.
    const address = channel === 'personal-email' ? `perso-${ins}@example.org` : `am-${ins}@example.org`;
    expect(mailsTo(address)).toHaveLength(channel === 'yearly-statement' ? 0 : 1);
  });

  it.each(REJECTED_DELIVERIES)('%s account: %s answers 409 %s', async (status, kind, code) => {
    const ins = await patientVia(status);
    const item = kind === 'message' ? messageFor(ins) : documentFor(ins);

    const response = await call('POST', `/v1/${kind}s`, { body: item });
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ errorCode: code, message: REJECTION_MESSAGES[code] });
    expect(await countRows(`${kind}s`, item.id)).toBe(0);

    const repeated = await call('POST', `/v1/${kind}s?wait=true`, { body: item });
    expect(repeated.status).toBe(409);
    expect(repeated.body).toEqual(response.body);

    const statusResource = await call('GET', `/v1/${kind}s/${item.id}`);
    expect(statusResource.status).toBe(200);
    expect(statusResource.body).toEqual({ state: 'rejected', id: item.id, errorCode: code, message: REJECTION_MESSAGES[code] });
  });
});

describe('?wait=true', () => {
  it('answers 202 when the outcome is not final within the wait', async () => {
    const ins = await patientVia('activated');
    // A document hidden from the patient is notified after 14 days, so its workflow outlasts any wait.
    const document = documentFor(ins, { visibility: ['INVISIBLE_PATIENT'] });

    const response = await call('POST', '/v1/documents?wait=true', { body: document });

    expect(response.status).toBe(202);
    expect(response.elapsedMs).toBeGreaterThanOrEqual(MAX_WAIT_MS - 100);
    expect(response.elapsedMs).toBeLessThan(MAX_WAIT_MS + 10_000);
    expect(response.body).toEqual({ outcome: 'stored', id: document.id, notification: 'none', readableByPatient: false });

    const status = await call('GET', response.headers.get('location')!);
    expect(status.status).toBe(200);
    expect(status.body).toEqual({ state: 'in-progress', ...response.body });
  });
});

describe('POST /v1/consultations', () => {
  it('answers 202 with the documents, then the status completes', async () => {
    const ins = await patientVia('activated');
    const consultation = consultationFor(ins, newProfessional());

    const response = await call('POST', '/v1/consultations', { body: consultation });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/v1/consultations/${consultation.id}`);
    expect(response.body).toEqual({ outcome: 'consulted', id: consultation.id, firstAccess: true, notification: 'personal-email', documents: [] });

    const status = await completedStatus(`/v1/consultations/${consultation.id}`);
    expect(status).toMatchObject({ state: 'completed', notificationStatus: 'sent', finalChannel: 'personal-email' });
  });
});

describe('POST /v1/account-events', () => {
  it('event without id gets the id derived from its content', async () => {
    const event = { type: 'account.created' as const, ins: generateIns(), amEmail: null };

    const response = await call('POST', '/v1/account-events', { body: event });

    const id = env.client.accountEventIdOf(event);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ outcome: 'applied', id, status: 'created' });
    expect(response.headers.get('location')).toBe(`/v1/account-events/${id}`);
    expect(await completedStatus(`/v1/account-events/${id}`)).toEqual({ state: 'completed', outcome: 'applied', id, status: 'created' });
  });

  it('event the status does not allow answers 409', async () => {
    // An activated account can be closed, but no longer opposed.
    const ins = await patientVia('activated');

    const response = await call('POST', '/v1/account-events', { body: { type: 'account.opposed', ins } });

    expect(response.status).toBe(409);
    expect(response.body.errorCode).toBe('ACCOUNT_EVENT_REJECTED');
    expect(response.body.message).toBe(`${REJECTION_MESSAGES.ACCOUNT_EVENT_REJECTED} Événement « account.opposed », statut actuel « activé ».`);
  });
});

describe('status resources', () => {
  it.each(['messages', 'documents', 'consultations', 'account-events'])('unknown id under /v1/%s answers 404', async (collection) => {
    const response = await call('GET', `/v1/${collection}/never-submitted-${randomBytes(4).toString('hex')}`);

    expect(response.status).toBe(404);
    expect(response.body.errorCode).toBe('ITEM_NOT_FOUND');
    expect(response.body.message).toMatch(/connue? sous l'identifiant « never-submitted-/);
  });
});

describe('POST /v1/patient-history', () => {
  it('returns the history of an activated account, newest first', async () => {
    const ins = await patientVia('activated');
    const message = messageFor(ins);
    expect((await call('POST', '/v1/messages?wait=true', { body: message })).status).toBe(200);

    const response = await call('POST', '/v1/patient-history', { body: { ins } });

    expect(response.status).toBe(200);
    const entries = response.body.entries as Array<{ action: string; subjectId: string | null; occurredAt: string }>;
    expect(entries.filter((entry) => entry.subjectId === message.id).map((entry) => entry.action)).toEqual([
      'notification.sent',
      'message.received',
    ]);
    expect(entries.map((entry) => entry.occurredAt)).toEqual([...entries.map((entry) => entry.occurredAt)].sort().reverse());
  });

  it.each([
    ['opposed', 'ACCOUNT_NOT_ACTIVATED'],
    ['unknown', 'PATIENT_UNKNOWN'],
  ] as const)('%s account answers 409 %s', async (status, code) => {
    const ins = await patientVia(status);

    const response = await call('POST', '/v1/patient-history', { body: { ins } });

    expect(response.status).toBe(409);
    expect(response.body).toEqual({ errorCode: code, message: REJECTION_MESSAGES[code] });
  });
});

describe('invalid requests', () => {
  it('wrong INS key answers 400 naming ins and starts nothing', async () => {
    const message = messageFor(withWrongKey(generateIns()));

    const response = await call('POST', '/v1/messages', { body: message });

    expect(response.status).toBe(400);
    expect(response.body.errorCode).toBe('INVALID_REQUEST');
    expect(response.body.message).toMatch(/^Requête invalide : champ « ins » : la clé de l'INS est \d{2} alors que le NIR donne \d{2}/);
    expect(response.body.fields).toEqual([{ field: 'ins', message: expect.stringContaining("clé de l'INS") }]);
    expect(await workflowExists(`message-${message.id}`)).toBe(false);
    expect(await countRows('messages', message.id)).toBe(0);
  });

  it('missing and unknown fields are each named', async () => {
    const message = messageFor(generateIns());
    const { rpps: _rpps, ...senderWithoutRpps } = message.sender;

    const response = await call('POST', '/v1/messages', { body: { ...message, sender: senderWithoutRpps, priority: 'high' } });

    expect(response.status).toBe(400);
    const fields = (response.body.fields as Array<{ field: string; message: string }>).map((problem) => problem.field);
    expect(fields).toContain('sender.rpps');
    expect(fields).toContain('priority');
    expect(response.body.message).toContain('champ « sender.rpps »');
    expect(await workflowExists(`message-${message.id}`)).toBe(false);
  });

  it('body that is not JSON answers 400', async () => {
    const response = await call('POST', '/v1/messages', { rawBody: '{"type": "message", "id": ' });

    expect(response.status).toBe(400);
    expect(response.body.errorCode).toBe('INVALID_REQUEST');
    expect(response.body.message).toMatch(/^Requête invalide : le corps n'est pas un JSON valide/);
  });

  it('empty body answers 400', async () => {
    const response = await call('POST', '/v1/documents', { rawBody: '' });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errorCode: 'INVALID_REQUEST', message: 'Requête invalide : corps vide ; envoyez un objet JSON.' });
  });

  it('body over the size limit answers 413 and stores nothing', async () => {
    const document = documentFor(generateIns(), { contentBase64: 'A'.repeat(MAX_BODY_BYTES) });

    const response = await call('POST', '/v1/documents', { body: document });

    expect(response.status).toBe(413);
    expect(response.body.errorCode).toBe('PAYLOAD_TOO_LARGE');
    expect(response.body.message).toContain(`${MAX_BODY_BYTES} octets`);
    expect(await workflowExists(`document-${document.id}`)).toBe(false);
  });

  it('document over 1 MiB within the body limit answers 400 naming contentBase64', async () => {
    const content = Buffer.alloc(MAX_DOCUMENT_BYTES + 3, 0x25).toString('base64');
    const document = documentFor(generateIns(), { contentBase64: content });

    const response = await call('POST', '/v1/documents', { body: document });

    expect(JSON.stringify(document).length).toBeLessThan(MAX_BODY_BYTES);
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([{ field: 'contentBase64', message: expect.stringContaining('document trop volumineux') }]);
    expect(await countRows('documents', document.id)).toBe(0);
  });

  it('body not declared as JSON answers 415', async () => {
    const response = await call('POST', '/v1/messages', {
      rawBody: JSON.stringify(messageFor(generateIns())),
      headers: { 'Content-Type': 'text/plain' },
    });

    expect(response.status).toBe(415);
    expect(response.body.errorCode).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('invalid or unknown query parameters answer 400 naming them', async () => {
    const message = messageFor(generateIns());

    const response = await call('POST', '/v1/messages?wait=yes&async=1', { body: message });

    expect(response.status).toBe(400);
    expect((response.body.fields as Array<{ field: string }>).map((problem) => problem.field)).toEqual(['wait', 'async']);
    expect(response.body.message).toContain("paramètre d'URL « wait » : valeur attendue : true ou false");
    expect(await workflowExists(`message-${message.id}`)).toBe(false);
  });

  it('invalid id in the path answers 400 naming id', async () => {
    const response = await call('GET', '/v1/documents/bad%20id');

    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([{ field: 'id', message: expect.stringContaining('identifiant invalide') }]);
  });
});

describe('routing', () => {
  it('unknown route answers 404', async () => {
    const response = await call('GET', '/v1/letters');

    expect(response.status).toBe(404);
    expect(response.body.errorCode).toBe('ROUTE_NOT_FOUND');
  });

  it.each([
    ['GET', '/v1/messages', 'POST'],
    ['DELETE', '/v1/messages/msg-1', 'GET'],
    ['GET', '/v1/patient-history', 'POST'],
    ['POST', '/openapi.json', 'GET'],
  ])('%s %s answers 405 allowing %s', async (method, route, allowed) => {
    const response = await call(method, route);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allowed);
    expect(response.body.errorCode).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('bearer token', () => {
  it.each([
    ['no header', null],
    ['a wrong token', `${TOKEN}x`],
    ['an empty token', ''],
  ])('request with %s answers 401', async (_case, token) => {
    const message = messageFor(generateIns());

    const response = await call('POST', '/v1/messages', { body: message, token });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(response.body.errorCode).toBe('UNAUTHORIZED');
    expect(await workflowExists(`message-${message.id}`)).toBe(false);
  });

  it('unknown route without token answers 401, not 404', async () => {
    expect((await call('GET', '/v1/letters', { token: null })).status).toBe(401);
  });

  it('openapi.json needs no token', async () => {
    expect((await call('GET', '/openapi.json', { token: null })).status).toBe(200);
  });

  it('server without a token serves requests without Authorization', async () => {
    const ins = await patientVia('activated');
    const message = messageFor(ins);

    const response = await call('POST', '/v1/messages', { body: message, token: null, server: apiWithoutToken });

    expect(response.status).toBe(202);
  });

  it('server without a token refuses a non-loopback address', async () => {
    // It throws before listening, so no traffic leaves this machine.
    await expect(startApiServer({ host: '0.0.0.0', port: 0, token: undefined, services, logger: pino({ enabled: false }) })).rejects.toThrow(
      /not a loopback address: set MES_HTTP_TOKEN/,
    );
  });
});

describe('GET /openapi.json', () => {
  it('serves schemas/openapi.json', async () => {
    const committed = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, OPENAPI_FILE_NAME), 'utf8')) as unknown;

    const response = await call('GET', '/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body).toEqual(committed);
    expect(response.body.openapi).toBe('3.1.0');
  });
});

describe('request log', () => {
  it('has one line per request with route pattern, status and duration', async () => {
    const ins = await patientVia('activated');
    const message = messageFor(ins);

    const submitted = await call('POST', '/v1/messages', { body: message });
    const status = await call('GET', `/v1/messages/${message.id}`);
    const history = await call('POST', '/v1/patient-history', { body: { ins } });
    // A path that contains an INS must not reach the log.
    const unknown = await call('GET', `/v1/patients/${ins}/history`);

    const lineOf = (response: CallResult) =>
      vi.waitFor(() => {
        const lines = logLines.filter((line) => line.requestId === response.headers.get('x-request-id'));
        expect(lines).toHaveLength(1);
        return lines[0]!;
      });
    expect(await lineOf(submitted)).toMatchObject({ msg: 'HTTP request', method: 'POST', route: '/v1/messages', status: 202 });
    expect(await lineOf(status)).toMatchObject({ method: 'GET', route: '/v1/messages/{id}', status: 200 });
    expect(await lineOf(history)).toMatchObject({ method: 'POST', route: '/v1/patient-history', status: 200 });
    expect(await lineOf(unknown)).toMatchObject({ method: 'GET', route: null, status: 404 });
    expect((await lineOf(history)).durationMs).toEqual(expect.any(Number));

    const log = rawLog.join('');
    expect(log).not.toContain(ins);
    expect(log).not.toContain(message.id);
    expect(log).not.toContain(HEALTH_CONTENT.body);
    expect(log).not.toContain(HEALTH_CONTENT.professional);
    expect(log).not.toContain(TOKEN);
  });
});
