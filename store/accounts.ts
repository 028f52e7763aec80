import type { PoolClient } from 'pg';
import type { PersistedAccount } from '../machines/account-snapshot';

/** A stored account with the version its next update must match. */
export interface StoredAccount {
  patientRef: string;
  persisted: PersistedAccount;
  version: number;
}

/** Thrown when another transaction changed the account first; a retry reads the new version. */
export class AccountVersionConflictError extends Error {
  constructor(patientRef: string) {
    super(`Account ${patientRef} was changed by a concurrent transaction`);
    this.name = 'AccountVersionConflictError';
  }
}

/**
 * Reads an account inside a transaction. `FOR SHARE` keeps its status fixed until the transaction ends, so an
 * item is never stored under a status that changed meanwhile.
 */
export async function loadAccount(client: PoolClient, patientRef: string): Promise<StoredAccount | null> {
  const result = await client.query<{ snapshot: PersistedAccount; version: number }>(
    'SELECT snapshot, version FROM accounts WHERE patient_ref = $1 FOR SHARE',
    [patientRef],
  );
  const row = result.rows[0];
  return row ? { patientRef, persisted: row.snapshot, version: row.version } : null;
}

/** Stores a new account, or throws `AccountVersionConflictError` if a concurrent transaction created it. */
export async function insertAccount(client: PoolClient, patientRef: string, ins: string, persisted: PersistedAccount): Promise<void> {
  const result = await client.query(
    `INSERT INTO accounts (patient_ref, ins, status, snapshot) VALUES ($1, $2, $3, $4)
     ON CONFLICT (patient_ref) DO NOTHING`,
    [patientRef, ins, persisted.status, JSON.stringify(persisted)],
  );
  if (result.rowCount !== 1) {
    throw new AccountVersionConflictError(patientRef);
  }
}

/** Stores a new machine state if the account still has `expectedVersion`, else throws `AccountVersionConflictError`. */
export async function updateAccount(
  client: PoolClient,
  patientRef: string,
  expectedVersion: number,
  persisted: PersistedAccount,
): Promise<void> {
  const result = await client.query(
    `UPDATE accounts SET status = $3, snapshot = $4, version = version + 1, updated_at = now()
     WHERE patient_ref = $1 AND version = $2`,
    [patientRef, expectedVersion, persisted.status, JSON.stringify(persisted)],
  );
  if (result.rowCount !== 1) {
    throw new AccountVersionConflictError(patientRef);
  }
}

/** Records the holder's postal address, where letters such as the yearly statement are posted. */
export async function recordPostalAddress(client: PoolClient, patientRef: string, address: unknown): Promise<void> {
  await client.query('UPDATE accounts SET postal_address = $2 WHERE patient_ref = $1', [patientRef, JSON.stringify(address)]);
}
