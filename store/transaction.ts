import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one database transaction: committed when it returns, rolled back when it throws. Actions and
 * their audit records go through here together, so that no action exists without its trace.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection lost mid-transaction (a database restart) fails the pending query, which callers see. It is also
  // emitted as an event, which would crash the process without a listener.
  let lost: Error | null = null;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on('error', onError);

  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A rollback that fails means the connection is unusable.
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      lost ??= rollbackError;
    });
    throw error;
  } finally {
    client.off('error', onError);
    // A client released with an error is closed rather than given to the next caller.
    client.release(lost ?? undefined);
  }
}
