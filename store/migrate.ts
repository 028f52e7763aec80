import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';

const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** Arbitrary constant that serializes concurrent migrations from several workers (pg_advisory_xact_lock). */
const MIGRATION_LOCK_ID = 7_202_611;

/**
 * Applies the SQL files of `store/migrations` that the database has not seen, in name order, in one
 * transaction, so that a failed migration leaves the schema as it was. Returns the names applied.
 */
export async function migrate(pool: Pool): Promise<string[]> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  const applied: string[] = [];

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );

    for (const name of files) {
      const seen = await client.query('SELECT 1 FROM schema_migrations WHERE name = $1', [name]);
      if (seen.rowCount !== 0) {
        continue;
      }
      try {
        await client.query(readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8'));
      } catch (error) {
        throw new Error(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
      }
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      applied.push(name);
    }

    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  return applied;
}
