import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Logger } from 'pino';
import { findFreePort } from './embedded-postgres';
import { findTemporalCli, TemporalCliUnavailableError } from './temporal-cli';

/** Dev server settings the orchestrator needs: update-with-start ("early return") is off by default there. */
export const DEV_SERVER_DYNAMIC_CONFIG = ['--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true'];

/** Options of the dev server. */
export interface DevServerOptions {
  /** SQLite file that keeps workflow histories across restarts; in memory when absent. */
  dbFile?: string;
  /** gRPC frontend port; a free one when absent. */
  port?: number;
  /** Web UI port; no UI when absent. */
  uiPort?: number;
  /** Remote codec the Web UI calls to show decoded payloads. */
  uiCodecEndpoint?: string;
  namespace: string;
}

/** A running dev server. */
export interface RunningDevServer {
  address: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

/** Time the dev server may take to accept connections after it starts; a new SQLite file makes the first start slowest. */
const READY_TIMEOUT_MS = 60_000;

/** Thrown when the dev server process exits before it accepts connections. */
class DevServerExitedError extends Error {}

async function waitUntilReachable(address: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new DevServerExitedError(
        `The Temporal dev server exited with code ${child.exitCode} before it was ready on ${address}. Its last output: ${output.join(' | ')}`,
      );
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`The Temporal dev server at ${address} did not respond within ${READY_TIMEOUT_MS / 1000} s`, { cause: lastError });
}

/** Free ports tried, one after another, when none is given; another process can take a port between the check and the start. */
const PORT_ATTEMPTS = 3;

/**
 * Starts the Temporal CLI dev server on 127.0.0.1 with the binary `findTemporalCli` finds, or, when there is
 * none, with the one the Temporal SDK downloads (this needs the internet). Its output goes to the logger at
 * debug level, so that command output on stdout stays clean.
 */
export async function startTemporalDevServer(options: DevServerOptions, logger: Logger): Promise<RunningDevServer> {
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
  }

  let cliPath: string;
  try {
    const cli = await findTemporalCli(logger);
    logger.info({ source: cli.source, path: cli.path }, 'Using the Temporal CLI');
    cliPath = cli.path;
  } catch (error) {
    if (!(error instanceof TemporalCliUnavailableError)) {
      throw error;
    }
    logger.warn({ reason: error.message }, 'No local Temporal CLI; trying the Temporal SDK download');
    return startDownloadedDevServer(options, options.port ?? (await findFreePort()), logger);
  }

  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await findFreePort());
    try {
      return await spawnDevServer(cliPath, options, port, logger);
    } catch (error) {
      if (!(error instanceof DevServerExitedError) || options.port !== undefined || attempt >= PORT_ATTEMPTS) {
        throw error;
      }
      logger.warn({ port, attempt, reason: error.message }, 'Temporal dev server failed to start; retrying on another port');
    }
  }
}

async function spawnDevServer(cliPath: string, options: DevServerOptions, port: number, logger: Logger): Promise<RunningDevServer> {
  const address = `127.0.0.1:${port}`;
  const uiUrl = options.uiPort !== undefined ? `http://127.0.0.1:${options.uiPort}` : null;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    options.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...(options.uiPort !== undefined ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    ...DEV_SERVER_DYNAMIC_CONFIG,
  ];

  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // The last lines of output explain a failed start.
  const output: string[] = [];
  const record = (chunk: Buffer) => {
    const text = chunk.toString().trim();
    logger.debug({ temporal: text }, 'Temporal dev server output');
    output.push(text.slice(0, 500));
    output.splice(0, Math.max(0, output.length - 10));
  };
  child.stdout!.on('data', record);
  child.stderr!.on('data', record);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await waitUntilReachable(address, child, output);
  logger.info({ address, uiUrl, dbFile: options.dbFile ?? 'in memory' }, 'Temporal dev server started');

  return {
    address,
    uiUrl,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      logger.info({ address }, 'Temporal dev server stopped');
    },
  };
}

/** Last resort: the dev server the Temporal SDK downloads and runs itself. */
async function startDownloadedDevServer(options: DevServerOptions, port: number, logger: Logger): Promise<RunningDevServer> {
  const environment = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip: '127.0.0.1',
      port,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      dbFilename: options.dbFile,
      namespace: options.namespace,
      extraArgs: DEV_SERVER_DYNAMIC_CONFIG,
    },
  });
  logger.info({ address: environment.address }, 'Temporal dev server started from the SDK download');
  return {
    address: environment.address,
    uiUrl: options.uiPort !== undefined ? `http://127.0.0.1:${options.uiPort}` : null,
    stop: () => environment.teardown(),
  };
}
