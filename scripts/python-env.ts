import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

const execFileAsync = promisify(execFile);

/** Pinned requirements of the Python client in `python/`. Their hash names the virtualenv. */
export const PYTHON_REQUIREMENTS = path.join(__dirname, '..', 'python', 'requirements.txt');

/** Oldest Python the pinned requirements install on: rpds-py 2026.9.1, which jsonschema needs, wants 3.11. */
const MINIMUM_PYTHON: readonly [number, number] = [3, 11];

/** File written once pip has finished, so that a virtualenv left half-built by a killed run is built again. */
const READY_MARKER = '.mes-ready';

/** A virtualenv with the Python client's requirements installed. */
export interface PythonEnv {
  /** The virtualenv's folder. */
  dir: string;
  /** Its interpreter: run `python/send_message.py` with it. */
  python: string;
  /** True when this call built it, false when it was already there. */
  created: boolean;
}

/** Thrown when the virtualenv cannot be built. The message names the step that failed and how to fix it. */
export class PythonEnvUnavailableError extends Error {
  constructor(step: string, reason: string, fix: string) {
    super(`Could not prepare the Python environment of python/: ${step} failed.\n${reason.trim()}\nFix: ${fix}`);
    this.name = 'PythonEnvUnavailableError';
  }
}

/**
 * Folder of the per-machine cache: `$XDG_CACHE_HOME/mon-espace-sante`, else `~/.cache/mon-espace-sante`, as for
 * the Temporal CLI build. Outside the project, so that every clone on a machine shares one virtualenv.
 */
export function pythonCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'mon-espace-sante');
}

function interpreterIn(dir: string): string {
  return process.platform === 'win32' ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
}

/** Returns the last lines of a failed command's output, where pip prints its error. */
function outputTail(error: unknown): string {
  const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
  const output = `${stdout ?? ''}\n${stderr ?? ''}`.trim();
  return output ? output.split('\n').slice(-15).join('\n') : message;
}

/** Finds the base interpreter (`MES_PYTHON`, else `python3`) and returns its real path and version. */
async function findBaseInterpreter(env: NodeJS.ProcessEnv): Promise<{ executable: string; version: string }> {
  const command = env.MES_PYTHON ?? 'python3';
  const fix = `install Python ${MINIMUM_PYTHON.join('.')} or later (Debian: apt-get install python3 python3-venv), or set MES_PYTHON to such an interpreter`;

  let stdout: string;
  try {
    // sys.executable, not the command: a pyenv shim would otherwise become the virtualenv's base.
    ({ stdout } = await execFileAsync(command, ['-c', 'import sys; print(sys.executable); print(*sys.version_info[:3], sep=".")'], {
      timeout: 30_000,
    }));
  } catch (error) {
    throw new PythonEnvUnavailableError(`running \`${command}\``, outputTail(error), fix);
  }

  const [executable = '', version = ''] = stdout.trim().split('\n');
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor < MINIMUM_PYTHON[1])) {
    throw new PythonEnvUnavailableError(
      'the Python version check',
      `\`${command}\` is Python ${version} (${executable}); the pinned requirements need ${MINIMUM_PYTHON.join('.')} or later.`,
      fix,
    );
  }
  return { executable, version };
}

/** Tells whether the process that holds a lock file is gone, so that its lock can be taken over. */
function lockIsStale(lockFile: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile, 'utf8').trim());
  } catch (error) {
    // Released since the failed attempt: the next attempt may get it.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    throw error;
  }
  if (!Number.isInteger(pid) || pid <= 0) {
    return true;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Creates the lock file with this process's pid in it, atomically: false when another process holds it. */
function tryLock(lockFile: string): boolean {
  // link() fails when the lock exists, and the lock file contains the holder's pid from its first moment.
  const candidate = `${lockFile}.${process.pid}`;
  writeFileSync(candidate, String(process.pid));
  try {
    linkSync(candidate, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
    return false;
  } finally {
    rmSync(candidate, { force: true });
  }
}

/**
 * Takes the build lock of a virtualenv, or returns false once another process has finished building it. Two test
 * runs on one machine thus build it once. A lock left by a killed process is taken over.
 */
async function takeBuildLock(lockFile: string, marker: string): Promise<boolean> {
  // A first build installs 13 wheels, in about 20 s when measured on 2 cores. The wait ends after 15 minutes.
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    if (tryLock(lockFile)) {
      return true;
    }
    if (existsSync(marker)) {
      return false;
    }
    if (lockIsStale(lockFile)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new PythonEnvUnavailableError(
        'waiting for another build',
        `Another process still holds the lock ${lockFile} (its pid is in the file).`,
        'wait for that process to finish, or stop it and run `npx tsx scripts/ensure-python-env.ts` again',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Creates the virtualenv in `dir` and installs the requirements with pip from the package index. */
async function buildPythonEnv(baseInterpreter: string, dir: string, logger: Logger): Promise<void> {
  // A folder without the marker is a build that stopped half-way, and pip would not repair it reliably.
  rmSync(dir, { recursive: true, force: true });
  logger.info({ dir, requirements: PYTHON_REQUIREMENTS }, 'Creating the Python virtualenv; this happens once per machine');

  try {
    await execFileAsync(baseInterpreter, ['-m', 'venv', dir], { timeout: 5 * 60_000 });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new PythonEnvUnavailableError(
      `\`${baseInterpreter} -m venv ${dir}\``,
      outputTail(error),
      'install the venv module (Debian: apt-get install python3-venv), or set MES_PYTHON to an interpreter that has it',
    );
  }

  try {
    await execFileAsync(
      interpreterIn(dir),
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--requirement', PYTHON_REQUIREMENTS],
      { timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new PythonEnvUnavailableError(
      `\`pip install --requirement ${PYTHON_REQUIREMENTS}\``,
      outputTail(error),
      'make the Python package index reachable (or point PIP_INDEX_URL at a mirror that has the pinned versions), then run `npx tsx scripts/ensure-python-env.ts` again',
    );
  }
}

/**
 * Returns the virtualenv of the Python client, building it first when this machine has none for the current
 * `python/requirements.txt` and interpreter. Its folder is `python-<hash>` in the cache: a changed requirement
 * or interpreter makes a new one, and an unchanged one costs a single `python3 --version`-like call.
 */
export async function ensurePythonEnv(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<PythonEnv> {
  const base = await findBaseInterpreter(env);
  const requirements = readFileSync(PYTHON_REQUIREMENTS);
  const hash = createHash('sha256').update(requirements).update(`\0${base.executable}\0${base.version}`).digest('hex').slice(0, 16);

  const cacheDir = pythonCacheDir(env);
  const dir = path.join(cacheDir, `python-${hash}`);
  const marker = path.join(dir, READY_MARKER);
  const ready: PythonEnv = { dir, python: interpreterIn(dir), created: false };
  if (existsSync(marker)) {
    return ready;
  }

  mkdirSync(cacheDir, { recursive: true });
  const lockFile = `${dir}.lock`;
  if (!(await takeBuildLock(lockFile, marker))) {
    return ready;
  }
  try {
    if (existsSync(marker)) {
      return ready;
    }
    await buildPythonEnv(base.executable, dir, logger);
    writeFileSync(marker, `${new Date().toISOString()}\n`);
    return { ...ready, created: true };
  } finally {
    rmSync(lockFile, { force: true });
  }
}
