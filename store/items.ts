import type { PoolClient } from 'pg';
import type { DocumentRequest } from '../contracts/document-request';
import type { MessageRequest } from '../contracts/message-request';

/** Stores a message in the patient's mailbox. */
export async function insertMessage(client: PoolClient, patientRef: string, request: MessageRequest, receivedAt: Date): Promise<void> {
  await client.query(
    `INSERT INTO messages (id, patient_ref, sender_rpps, sender_name, subject, body, received_at, sender_mssante_address)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [request.id, patientRef, request.sender.rpps, request.sender.name, request.subject, request.body, receivedAt, request.replyTo ?? null],
  );
}

/** Tells whether a document is hidden from the patient until it is announced or its delay runs out. */
export function isHiddenFromPatient(request: DocumentRequest): boolean {
  return request.visibility?.includes('INVISIBLE_PATIENT') ?? false;
}

/** Stores a document, content and visibility flags included, in the patient's DMP. */
export async function insertDocument(client: PoolClient, patientRef: string, request: DocumentRequest, storedAt: Date): Promise<void> {
  const content = Buffer.from(request.contentBase64, 'base64');
  await client.query(
    `INSERT INTO documents (id, patient_ref, author_rpps, author_name, title, type_code, mime_type, content, size_bytes, stored_at,
       visibility, visible_to_patient_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      request.id,
      patientRef,
      request.author.rpps,
      request.author.name,
      request.title,
      request.typeCode,
      request.mimeType,
      content,
      content.length,
      storedAt,
      request.visibility ?? [],
      isHiddenFromPatient(request) ? null : storedAt,
    ],
  );
}

/** A document as a consultation lists it. */
export interface ListedDocument {
  id: string;
  typeCode: string;
  mimeType: string;
  authorRpps: string;
  storedAt: string;
  visibility: string[];
}

/** Lists the DMP's documents that a professional may see: all but the `MASQUE_PS` ones of other authors. */
export async function listDocumentsFor(client: PoolClient, patientRef: string, professionalRpps: string): Promise<ListedDocument[]> {
  const result = await client.query<{
    id: string;
    type_code: string;
    mime_type: string;
    author_rpps: string;
    stored_at: Date;
    visibility: string[];
  }>(
    `SELECT id, type_code, mime_type, author_rpps, stored_at, visibility FROM documents
     WHERE patient_ref = $1 AND (NOT ('MASQUE_PS' = ANY (visibility)) OR author_rpps = $2)
     ORDER BY stored_at, id`,
    [patientRef, professionalRpps],
  );
  return result.rows.map((row) => ({
    id: row.id,
    typeCode: row.type_code,
    mimeType: row.mime_type,
    authorRpps: row.author_rpps,
    storedAt: row.stored_at.toISOString(),
    visibility: row.visibility,
  }));
}

/**
 * Marks a hidden document as announced by its author. Returns false, changing nothing, when the document is not
 * in this DMP, has another author, or is no longer hidden from the patient.
 */
export async function markDocumentAnnounced(
  client: PoolClient,
  patientRef: string,
  documentId: string,
  authorRpps: string,
  at: Date,
): Promise<boolean> {
  const result = await client.query(
    `UPDATE documents SET announced_at = coalesce(announced_at, $4)
     WHERE id = $1 AND patient_ref = $2 AND author_rpps = $3 AND visible_to_patient_at IS NULL`,
    [documentId, patientRef, authorRpps, at],
  );
  return result.rowCount === 1;
}

/** Visibility state of a document: its patient, whether it is visible, and whether it was announced. */
export async function loadDocumentVisibility(
  client: PoolClient,
  documentId: string,
): Promise<{ patientRef: string; visible: boolean; announced: boolean } | null> {
  const result = await client.query<{ patient_ref: string; visible_to_patient_at: Date | null; announced_at: Date | null }>(
    'SELECT patient_ref, visible_to_patient_at, announced_at FROM documents WHERE id = $1 FOR UPDATE',
    [documentId],
  );
  const row = result.rows[0];
  return row ? { patientRef: row.patient_ref, visible: row.visible_to_patient_at !== null, announced: row.announced_at !== null } : null;
}

/** Makes a hidden document visible to the patient. */
export async function markDocumentVisible(client: PoolClient, documentId: string, at: Date): Promise<void> {
  await client.query('UPDATE documents SET visible_to_patient_at = $2 WHERE id = $1 AND visible_to_patient_at IS NULL', [documentId, at]);
}
