-- The yearly activity statement: the holder's postal address, and one statement per account and year.

ALTER TABLE accounts ADD COLUMN postal_address jsonb;

-- The primary key makes each statement exactly once per account and year, across reruns and restarts.
CREATE TABLE statements (
  patient_ref text NOT NULL REFERENCES accounts (patient_ref),
  year integer NOT NULL,
  letter_file text NOT NULL,
  short_version boolean NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (patient_ref, year)
);
