import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

const execFileAsync = promisify(execFile);

/**
 * Version of the Temporal CLI built from the Go module proxy. Releases from v1.6.0 cannot be built with
 * `go install`; v1.5.1 bundles Temporal Server 1.29.1 and UI 2.42.1 and needs Go 1.25 or later.
 */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Origin of the Temporal CLI binary, reported to the operator. */
export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cached build' | 'fresh build';

/** A usable Temporal CLI binary. */
export interface TemporalCli {
  path: string;
  source: TemporalCliSource;
}

/** Thrown when no way of getting the Temporal CLI worked; the message lists each attempt and its error. */
export class TemporalCliUnavailableError extends Error {
  constructor(attempts: string[]) {
    super(
      [
        'No Temporal CLI could be found or built. Tried, in order:',
        ...attempts.map((attempt) => `  - ${attempt}`),
        'Fix one of them: set TEMPORAL_CLI_PATH to a temporal binary, put `temporal` on PATH,',
        `install Go 1.25+ so that \`go install ${TEMPORAL_CLI_MODULE}\` can run, or set TEMPORAL_ADDRESS to a running server.`,
      ].join('\n'),
    );
    this.name = 'TemporalCliUnavailableError';
  }
}

/**
 * Folder of the per-machine build cache: `MES_TOOLS_DIR`, else `$XDG_CACHE_HOME/mon-espace-sante/tools`, else
 * `~/.cache/mon-espace-sante/tools`. It lives outside the project so that every clone on a machine shares one build.
 */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MES_TOOLS_DIR) {
    return path.resolve(env.MES_TOOLS_DIR);
  }
  const cacheHome = env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'mon-espace-sante', 'tools');
}

async function versionOf(binary: string): Promise<string> {
  const { stdout } = await execFileAsync(binary, ['--version'], { timeout: 30_000 });
  return stdout.trim();
}

/**
 * Finds the Temporal CLI: `TEMPORAL_CLI_PATH`, else `temporal` on PATH, else the cached build, else a build with
 * `go install` into the cache (a few minutes, once per machine). Without any of them, and where the internet is
 * reachable, `startTemporalDevServer` falls back to the SDK's own download.
 */
export async function findTemporalCli(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<TemporalCli> {
  const attempts: string[] = [];

  if (env.TEMPORAL_CLI_PATH) {
    try {
      await versionOf(env.TEMPORAL_CLI_PATH);
      return { path: env.TEMPORAL_CLI_PATH, source: 'TEMPORAL_CLI_PATH' };
    } catch (error) {
      attempts.push(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH}: ${(error as Error).message}`);
    }
  } else {
    attempts.push('TEMPORAL_CLI_PATH: not set');
  }

  try {
    await versionOf('temporal');
    return { path: 'temporal', source: 'PATH' };
  } catch (error) {
    attempts.push(`temporal on PATH: ${(error as Error).message}`);
  }

  const buildDir = path.join(toolsDir(env), 'temporal-cli-v1.5.1');
  const cached = path.join(buildDir, 'temporal');
  if (existsSync(cached)) {
    try {
      await versionOf(cached);
      return { path: cached, source: 'cached build' };
    } catch (error) {
      attempts.push(`cached build ${cached}: ${(error as Error).message}`);
    }
  } else {
    attempts.push(`cached build ${cached}: not built yet`);
  }

  try {
    await buildTemporalCli(buildDir, logger);
    await versionOf(cached);
    return { path: cached, source: 'fresh build' };
  } catch (error) {
    attempts.push(`go install ${TEMPORAL_CLI_MODULE}: ${(error as Error).message}`);
  }

  throw new TemporalCliUnavailableError(attempts);
}

/**
 * Builds the CLI with `go install` into `buildDir`. A lock file keeps two processes (two test runs, say) from
 * building at once, so the second waits for the first and then finds the binary.
 */
async function buildTemporalCli(buildDir: string, logger: Logger): Promise<void> {
  mkdirSync(buildDir, { recursive: true });
  const lockFile = path.join(buildDir, '.build.lock');
  const binary = path.join(buildDir, 'temporal');

  // Up to 20 minutes: a first build on 2 cores takes about 3 minutes, plus the module downloads.
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for the build lock ${lockFile}; remove it if no build is running`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      if (existsSync(binary)) {
        return;
      }
    }
  }

  try {
    if (existsSync(binary)) {
      return;
    }
    logger.info({ module: TEMPORAL_CLI_MODULE, buildDir }, 'Building the Temporal CLI with go install; this happens once per machine');
    await execFileAsync('go', ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: buildDir },
      timeout: 20 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    logger.info({ binary }, 'Temporal CLI built');
  } finally {
    rmSync(lockFile, { force: true });
  }
}
