import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestEnvironment } from './test-environment';

const MES = path.join(__dirname, '..', '..', 'bin', 'mes.js');

/**
 * Returns the environment of a `mes` process that uses the test environment's servers, with its own task queue
 * and data folder. `overrides` add or replace variables, such as the keys.
 */
export function mesProcessEnv(env: TestEnvironment, taskQueue: string, dataDir: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: env.temporalAddress,
    DATABASE_URL: env.databaseUrl,
    SMTP_URL: env.smtp.url,
    MES_TASK_QUEUE: taskQueue,
    MES_DATA_DIR: dataDir,
    MES_LOG_LEVEL: 'warn',
    ...overrides,
  };
}

/**
 * Starts `mes worker` as a separate process on the task queue, with the environment's services and keys, and
 * resolves once it polls. Tests kill such a process to simulate a worker crash.
 */
export async function startWorkerProcess(env: TestEnvironment, taskQueue: string, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MES, 'worker'], {
    env: mesProcessEnv(env, taskQueue, dataDir, { MES_PSEUDONYM_KEY: env.pseudonymKey.toString('hex'), MES_PAYLOAD_KEYS: env.payloadKeys }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Worker running')) {
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`mes worker exited with code ${code}`)));
  });
  return child;
}

/** The `mes worker` processes of one test file, sharing a data folder that `stopAll` removes. */
export class WorkerProcesses {
  readonly dataDir = mkdtempSync(path.join(os.tmpdir(), 'mes-workers-'));
  private readonly children: ChildProcess[] = [];

  constructor(private readonly env: TestEnvironment) {}

  /** Starts one more worker process on the task queue and resolves once it polls. */
  async start(taskQueue: string): Promise<ChildProcess> {
    const child = await startWorkerProcess(this.env, taskQueue, this.dataDir);
    this.children.push(child);
    return child;
  }

  /** Kills the processes still running and removes the data folder; call before stopping the environment. */
  stopAll(): void {
    for (const child of this.children) {
      child.kill('SIGKILL');
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
