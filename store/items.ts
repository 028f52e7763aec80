import type { PoolClient } from 'pg';
import type { DocumentRequest } from '../contracts/document-request';
import type { MessageRequest } from '../contracts/message-request';

/** Stores a message in the patient's mailbox. */
export async function insertMessage(client: PoolClient, patientRef: string, request: MessageRequest, receivedAt: Date): Promise<void> {
  await client.query(
    `INSERT INTO messages (id, patient_ref, sender_rpps, sender_name, subject, body, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [request.id, patientRef, request.sender.rpps, request.sender.name, request.subject, request.body, receivedAt],
  );
}

/** Stores a document, content included, in the patient's DMP. */
export async function insertDocument(client: PoolClient, patientRef: string, request: DocumentRequest, storedAt: Date): Promise<void> {
  const content = Buffer.from(request.contentBase64, 'base64');
  await client.query(
    `INSERT INTO documents (id, patient_ref, author_rpps, author_name, title, type_code, mime_type, content, size_bytes, stored_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
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
    ],
  );
}
