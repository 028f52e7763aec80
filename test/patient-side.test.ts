import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatientHistoryClient } from '../client/patient-history-client';
import { PatientSpaceClient } from '../client/patient-space-client';
import { REJECTION_MESSAGES } from '../domain/rejections';
import { generateIns } from './support/identities';
import { activatedPatient } from './support/patients';
import { documentFor, messageFor, newProfessional } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

let env: TestEnvironment;
let space: PatientSpaceClient;

beforeAll(async () => {
  env = await startTestEnvironment('patient-side');
  space = new PatientSpaceClient({ pool: env.pool, pseudonymKey: env.pseudonymKey });
});

afterAll(async () => {
  await env?.stop();
});

describe('reading', () => {
  it('returns a message and traces it in the history', async () => {
    const { ins } = await activatedPatient(env.client);
    const message = messageFor(ins);
    await env.client.sendMessage(message);

    const read = await space.readMessage({ ins, messageId: message.id });
    expect(read).toMatchObject({ id: message.id, subject: message.subject, body: message.body, senderRpps: message.sender.rpps });

    const history = await new PatientHistoryClient({ pool: env.pool, pseudonymKey: env.pseudonymKey }).read(ins);
    expect(history[0]).toMatchObject({ action: 'message.read', actorType: 'patient', subjectId: message.id });
  });

  it('returns a document with its content', async () => {
    const { ins } = await activatedPatient(env.client);
    const document = documentFor(ins);
    await env.client.feedDocument(document);

    expect(await space.readDocument({ ins, documentId: document.id })).toMatchObject({
      id: document.id,
      title: document.title,
      contentBase64: document.contentBase64,
    });
  });

  it('is refused before activation with ACCOUNT_NOT_ACTIVATED', async () => {
    const ins = generateIns();
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
    const message = messageFor(ins);
    await env.client.sendMessage(message);

    await expect(space.readMessage({ ins, messageId: message.id })).rejects.toMatchObject({
      code: 'ACCOUNT_NOT_ACTIVATED',
      message: REJECTION_MESSAGES.ACCOUNT_NOT_ACTIVATED,
    });
  });

  it('hides a document the patient may not see yet', async () => {
    const { ins } = await activatedPatient(env.client);
    const hidden = documentFor(ins, { visibility: ['INVISIBLE_PATIENT'] });
    await env.client.feedDocument(hidden);

    await expect(space.readDocument({ ins, documentId: hidden.id })).rejects.toMatchObject({ code: 'DOCUMENT_NOT_FOUND' });
  });
});

describe('reply', () => {
  it('goes to the professional secure messaging address', async () => {
    const { ins } = await activatedPatient(env.client);
    const mssante = `dr-${ins}@medecin.mssante.example`;
    const message = messageFor(ins, { replyTo: mssante });
    await env.client.sendMessage(message);

    const body = 'Merci docteur, je prends rendez-vous.';
    expect(await env.client.replyToMessage({ type: 'patient.reply', id: `reply-${ins}`, ins, messageId: message.id, body })).toEqual({
      outcome: 'replied',
      id: `reply-${ins}`,
    });

    const replies = env.smtp.received.filter((mail) => mail.to.includes(mssante));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.subject).toBe(`RE: ${message.subject}`);
    expect(replies[0]!.text).toContain(`votre message ${message.id}`);
    expect(replies[0]!.text.trim().endsWith(body)).toBe(true);
  });

  it('is blocked once the professional ended the conversation', async () => {
    const { ins } = await activatedPatient(env.client);
    const sender = newProfessional('Dr Rémi Caron');
    const message = messageFor(ins, { sender, replyTo: `dr-${ins}@medecin.mssante.example` });
    await env.client.sendMessage(message);

    await expect(
      env.client.endConversation({ type: 'conversation.ended', id: `end-other-${ins}`, ins, messageId: message.id, professional: newProfessional() }),
    ).rejects.toMatchObject({ code: 'CONVERSATION_NOT_OWNED' });
    await env.client.endConversation({ type: 'conversation.ended', id: `end-${ins}`, ins, messageId: message.id, professional: sender });

    await expect(
      env.client.replyToMessage({ type: 'patient.reply', id: `reply-${ins}`, ins, messageId: message.id, body: 'Une question encore.' }),
    ).rejects.toMatchObject({ code: 'REPLY_BLOCKED', message: REJECTION_MESSAGES.REPLY_BLOCKED });
  });

  it('is blocked without a secure messaging address', async () => {
    const { ins } = await activatedPatient(env.client);
    const message = messageFor(ins);
    await env.client.sendMessage(message);

    await expect(
      env.client.replyToMessage({ type: 'patient.reply', id: `reply-${ins}`, ins, messageId: message.id, body: 'Bonjour.' }),
    ).rejects.toMatchObject({ code: 'REPLY_BLOCKED' });
  });

  it('is refused before activation', async () => {
    const ins = generateIns();
    await env.client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
    const message = messageFor(ins, { replyTo: `dr-${ins}@medecin.mssante.example` });
    await env.client.sendMessage(message);

    await expect(
      env.client.replyToMessage({ type: 'patient.reply', id: `reply-${ins}`, ins, messageId: message.id, body: 'Bonjour.' }),
    ).rejects.toMatchObject({ code: 'ACCOUNT_NOT_ACTIVATED' });
  });
});
