-- DMP consultations, each professional's first access, and document visibility flags.

ALTER TABLE documents ADD COLUMN visibility text[] NOT NULL DEFAULT '{}';
-- Null while an INVISIBLE_PATIENT document is still hidden from the patient.
ALTER TABLE documents ADD COLUMN visible_to_patient_at timestamptz;
-- Set when the author announces the document in a consultation, which ends the hiding early.
ALTER TABLE documents ADD COLUMN announced_at timestamptz;
UPDATE documents SET visible_to_patient_at = stored_at;

CREATE TABLE consultations (
  id text PRIMARY KEY,
  patient_ref text NOT NULL REFERENCES accounts (patient_ref),
  professional_rpps text NOT NULL,
  professional_name text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('normal', 'emergency')),
  announced_document_id text REFERENCES documents (id),
  consulted_at timestamptz NOT NULL
);
CREATE INDEX consultations_patient_ref_idx ON consultations (patient_ref, consulted_at);

-- One row per professional and DMP: its primary key makes concurrent first consultations notify once.
CREATE TABLE professional_accesses (
  patient_ref text NOT NULL REFERENCES accounts (patient_ref),
  professional_rpps text NOT NULL,
  first_consultation_id text NOT NULL REFERENCES consultations (id),
  first_access_at timestamptz NOT NULL,
  PRIMARY KEY (patient_ref, professional_rpps)
);

ALTER TABLE notifications DROP CONSTRAINT notifications_subject_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_subject_kind_check
  CHECK (subject_kind IN ('message', 'document', 'first-access', 'emergency-access', 'document-update'));
