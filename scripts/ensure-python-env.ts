// Builds the virtualenv of the Python client (python/) before the tests start, once per machine and per version
// of python/requirements.txt, so that a first pip install shows here instead of inside a test's timeout.
// Prints the virtualenv's folder on stdout. Its interpreter is bin/python in that folder.
import { createLogger } from '../config/logger';
import { ensurePythonEnv, PythonEnvUnavailableError } from './python-env';

async function main(): Promise<void> {
  const logger = createLogger(process.env.MES_LOG_LEVEL ?? 'info', 'ensure-python-env');
  const pythonEnv = await ensurePythonEnv(logger);
  logger.info({ dir: pythonEnv.dir, python: pythonEnv.python, created: pythonEnv.created }, 'Python environment ready');
  process.stdout.write(`${pythonEnv.dir}\n`);
}

main().catch((error: unknown) => {
  const known = error instanceof PythonEnvUnavailableError;
  process.stderr.write(`${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
