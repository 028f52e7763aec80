import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import type { ConsultationRequest } from '../../contracts/consultation-request';
import type { DocumentRequest } from '../../contracts/document-request';
import type { MessageRequest } from '../../contracts/message-request';
import { generateRpps } from './identities';

/** Health content of the test items: none of it may appear in an email. */
export const HEALTH_CONTENT = {
  subject: 'Résultats de votre glycémie',
  body: 'Votre HbA1c est à 8,2 %. Diabète de type 2 à surveiller.',
  title: 'Compte rendu oncologie - biopsie',
  professional: 'Dr Nadia Psychiatre-Moreau',
};

/** Builds a valid message to the patient with the given INS. */
export function messageFor(ins: string, overrides: Partial<MessageRequest> = {}): MessageRequest {
  return {
    type: 'message',
    id: `msg-${randomUUID()}`,
    ins,
    sender: { rpps: generateRpps(), name: HEALTH_CONTENT.professional },
    subject: HEALTH_CONTENT.subject,
    body: HEALTH_CONTENT.body,
    ...overrides,
  };
}

/** Builds a valid document for the patient with the given INS. */
export function documentFor(ins: string, overrides: Partial<DocumentRequest> = {}): DocumentRequest {
  return {
    type: 'document',
    id: `doc-${randomUUID()}`,
    ins,
    author: { rpps: generateRpps(), name: HEALTH_CONTENT.professional },
    title: HEALTH_CONTENT.title,
    typeCode: '11490-0',
    mimeType: 'application/pdf',
    contentBase64: Buffer.from('%PDF-1.4 document de test').toString('base64'),
    ...overrides,
  };
}

/** Builds a consultation of the patient's DMP by the given professional. */
export function consultationFor(
  ins: string,
  professional: { rpps: string; name: string },
  overrides: Partial<ConsultationRequest> = {},
): ConsultationRequest {
  return { type: 'consultation', id: `cons-${randomUUID()}`, ins, professional, mode: 'normal', ...overrides };
}

/** Builds a professional with a new RPPS number. */
export function newProfessional(name = 'Dr Paul Bernard'): { rpps: string; name: string } {
  return { rpps: generateRpps(), name };
}

/** Counts the messages and documents stored under the given ids. */
export async function countStoredItems(pool: Pool, ids: string[]): Promise<number> {
  const result = await pool.query(
    'SELECT (SELECT count(*) FROM messages WHERE id = ANY ($1))::int + (SELECT count(*) FROM documents WHERE id = ANY ($1))::int AS n',
    [ids],
  );
  return result.rows[0].n as number;
}
