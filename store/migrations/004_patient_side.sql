-- The patient's side: reading items, replying to messages, and professionals ending conversations.

-- Secure messaging (MSSanté) address of the sender, where the patient's replies go; null when none was given.
ALTER TABLE messages ADD COLUMN sender_mssante_address text;
ALTER TABLE messages ADD COLUMN conversation_ended_at timestamptz;
ALTER TABLE messages ADD COLUMN first_read_at timestamptz;
ALTER TABLE documents ADD COLUMN first_read_at timestamptz;

CREATE TABLE replies (
  id text PRIMARY KEY,
  message_id text NOT NULL REFERENCES messages (id),
  patient_ref text NOT NULL REFERENCES accounts (patient_ref),
  body text NOT NULL,
  recipient text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent')),
  created_at timestamptz NOT NULL,
  sent_at timestamptz
);
CREATE INDEX replies_message_id_idx ON replies (message_id);
