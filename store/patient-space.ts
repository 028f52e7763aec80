import type { PoolClient } from 'pg';

/** A message as the holder reads it. */
export interface StoredMessage {
  id: string;
  senderRpps: string;
  senderName: string;
  senderMssanteAddress: string | null;
  subject: string;
  body: string;
  receivedAt: string;
  conversationEnded: boolean;
}

/** Reads a message of the patient's mailbox and locks it until the transaction ends, or returns null. */
export async function loadMessage(client: PoolClient, patientRef: string, messageId: string): Promise<StoredMessage | null> {
  const result = await client.query<{
    sender_rpps: string;
    sender_name: string;
    sender_mssante_address: string | null;
    subject: string;
    body: string;
    received_at: Date;
    conversation_ended_at: Date | null;
  }>(
    `SELECT sender_rpps, sender_name, sender_mssante_address, subject, body, received_at, conversation_ended_at
     FROM messages WHERE id = $1 AND patient_ref = $2 FOR UPDATE`,
    [messageId, patientRef],
  );
  const row = result.rows[0];
  if (!row) {
    return null;
  }
  return {
    id: messageId,
    senderRpps: row.sender_rpps,
    senderName: row.sender_name,
    senderMssanteAddress: row.sender_mssante_address,
    subject: row.subject,
    body: row.body,
    receivedAt: row.received_at.toISOString(),
    conversationEnded: row.conversation_ended_at !== null,
  };
}

/** A document as the holder reads it. */
export interface StoredDocument {
  id: string;
  authorRpps: string;
  authorName: string;
  title: string;
  typeCode: string;
  mimeType: string;
  contentBase64: string;
  storedAt: string;
}

/** Reads a document of the patient's DMP that the patient may see (not hidden by `INVISIBLE_PATIENT`), or null. */
export async function loadVisibleDocument(client: PoolClient, patientRef: string, documentId: string): Promise<StoredDocument | null> {
  const result = await client.query<{
    author_rpps: string;
    author_name: string;
    title: string;
    type_code: string;
    mime_type: string;
    content: Buffer;
    stored_at: Date;
  }>(
    `SELECT author_rpps, author_name, title, type_code, mime_type, content, stored_at FROM documents
     WHERE id = $1 AND patient_ref = $2 AND visible_to_patient_at IS NOT NULL`,
    [documentId, patientRef],
  );
  const row = result.rows[0];
  if (!row) {
    return null;
  }
  return {
    id: documentId,
    authorRpps: row.author_rpps,
    authorName: row.author_name,
    title: row.title,
    typeCode: row.type_code,
    mimeType: row.mime_type,
    contentBase64: row.content.toString('base64'),
    storedAt: row.stored_at.toISOString(),
  };
}

/** Records the first reading of a message or document. */
export async function markFirstRead(client: PoolClient, table: 'messages' | 'documents', id: string, at: Date): Promise<void> {
  await client.query(`UPDATE ${table} SET first_read_at = coalesce(first_read_at, $2) WHERE id = $1`, [id, at]);
}

/** Marks a message's conversation as ended by its sender. */
export async function endConversation(client: PoolClient, messageId: string, at: Date): Promise<void> {
  await client.query('UPDATE messages SET conversation_ended_at = coalesce(conversation_ended_at, $2) WHERE id = $1', [messageId, at]);
}

/** Stores a reply waiting to be sent to the professional. */
export async function insertReply(
  client: PoolClient,
  reply: { id: string; messageId: string; patientRef: string; body: string; recipient: string },
  at: Date,
): Promise<void> {
  await client.query(
    `INSERT INTO replies (id, message_id, patient_ref, body, recipient, status, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6)`,
    [reply.id, reply.messageId, reply.patientRef, reply.body, reply.recipient, at],
  );
}
