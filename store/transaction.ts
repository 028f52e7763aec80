import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one database transaction: committed when it returns, rolled back when it throws. Actions and
 * their audit records go through here together, so that no action exists without its trace.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
