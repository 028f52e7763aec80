/** SQLSTATE codes of a server that is shutting down, starting up or unreachable, as opposed to a bad query. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

/** Socket error codes of a database that cannot be reached. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * Tells whether a database error comes from the connection (a restart, a network cut) rather than from the
 * statement, so that the same statement will succeed once the server is back.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code, message } = error as { code?: string; message?: string };
  if (code !== undefined && (UNAVAILABLE_SQLSTATES.has(code) || UNREACHABLE_CODES.has(code))) {
    return true;
  }
  // node-postgres raises these without a code.
  return typeof message === 'string' && /^Connection terminated|^Client has encountered a connection error/.test(message);
}

/**
 * Runs `work` again while it fails with a connection loss, waiting 250 ms and doubling up to 4 s, until
 * `deadline`, then throws the last error. It serves a write that follows an effect which cannot be undone, such
 * as an email the relay accepted, because retrying the write is better than repeating the effect.
 */
export async function retryOnConnectionLoss<T>(work: () => Promise<T>, deadline: number, onRetry?: (error: unknown) => void): Promise<T> {
  let delay = 250;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!isConnectionLoss(error) || Date.now() + delay >= deadline) {
        throw error;
      }
      onRetry?.(error);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 4_000);
    }
  }
}
