-- Lifecycle notices (opening notice, activation summary, deletion done) and the proof of purges.

-- A lifecycle notice goes to a fixed address instead of the one the status gives at sending time.
ALTER TABLE notifications ADD COLUMN recipient text;
-- Figures a notice reports, such as the number of items waiting at activation; never health content.
ALTER TABLE notifications ADD COLUMN details jsonb NOT NULL DEFAULT '{}';

ALTER TABLE notifications DROP CONSTRAINT notifications_subject_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_subject_kind_check
  CHECK (subject_kind IN ('message', 'document', 'first-access', 'emergency-access', 'document-update',
                          'opening-notice', 'activation-summary', 'deletion-done'));
ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check
  CHECK (channel IN ('personal-email', 'am-email', 'yearly-statement', 'postal-letter'));
ALTER TABLE notifications DROP CONSTRAINT notifications_final_channel_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_final_channel_check
  CHECK (final_channel IN ('personal-email', 'am-email', 'yearly-statement', 'postal-letter'));

-- What remains of a purged archive: the proof that it was purged, when, why and how much, without content.
CREATE TABLE purges (
  patient_ref text NOT NULL REFERENCES accounts (patient_ref),
  closed_at timestamptz NOT NULL,
  purged_at timestamptz NOT NULL,
  reason text NOT NULL CHECK (reason IN ('retention-elapsed', 'deletion-requested')),
  messages_purged integer NOT NULL,
  documents_purged integer NOT NULL,
  PRIMARY KEY (patient_ref, closed_at)
);
