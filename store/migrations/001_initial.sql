-- Accounts, the items professionals send, the notifications sent about them and the audit trail.
-- Patients are identified by patient_ref, a keyed hash of the INS, so that joins and logs never need the INS.

CREATE TABLE accounts (
  patient_ref text PRIMARY KEY,
  ins text NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('opening', 'created', 'activated', 'opposed', 'closed')),
  -- Status and context of the XState account machine, restored before each transition.
  snapshot jsonb NOT NULL,
  -- Optimistic lock: every update must match the version it read, then increments it.
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE messages (
  id text PRIMARY KEY,
  patient_ref text NOT NULL REFERENCES accounts (patient_ref),
  sender_rpps text NOT NULL,
  sender_name text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX messages_patient_ref_idx ON messages (patient_ref, received_at);

CREATE TABLE documents (
  id text PRIMARY KEY,
  patient_ref text NOT NULL REFERENCES accounts (patient_ref),
  author_rpps text NOT NULL,
  author_name text NOT NULL,
  title text NOT NULL,
  type_code text NOT NULL,
  mime_type text NOT NULL,
  content bytea NOT NULL,
  size_bytes integer NOT NULL,
  stored_at timestamptz NOT NULL
);
CREATE INDEX documents_patient_ref_idx ON documents (patient_ref, stored_at);

CREATE TABLE notifications (
  id text PRIMARY KEY,
  patient_ref text NOT NULL REFERENCES accounts (patient_ref),
  subject_kind text NOT NULL CHECK (subject_kind IN ('message', 'document')),
  subject_id text NOT NULL,
  -- Channel planned when the item was accepted; the address is read again at sending time.
  channel text NOT NULL CHECK (channel IN ('personal-email', 'am-email', 'yearly-statement')),
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'queued-for-statement', 'cancelled')),
  -- Channel actually used, once settled: an email channel, or the statement after a permanent failure.
  final_channel text CHECK (final_channel IN ('personal-email', 'am-email', 'yearly-statement')),
  smtp_message_id text,
  -- Emails handed to the SMTP relay, failed ones included, and the last failure, for operators.
  send_attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL,
  settled_at timestamptz
);
CREATE INDEX notifications_pending_idx ON notifications (status) WHERE status = 'pending';
CREATE INDEX notifications_patient_ref_idx ON notifications (patient_ref, created_at);

CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  -- Makes a retried activity write its trace once: the second insert finds the first.
  dedup_key text NOT NULL UNIQUE,
  occurred_at timestamptz NOT NULL,
  patient_ref text NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('health-professional', 'facility', 'patient', 'system')),
  actor_id text NOT NULL,
  actor_name text NOT NULL,
  action text NOT NULL,
  subject_kind text,
  subject_id text,
  outcome text NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
  error_code text,
  -- Rejected attempts stay in the operator log and never reach a patient's history.
  visible_to_patient boolean NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_history_idx ON audit_events (patient_ref, occurred_at DESC, id DESC) WHERE visible_to_patient;
