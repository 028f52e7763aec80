import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A worker process the benchmark started, measured through its pid. */
export interface WorkerChild {
  pid: number;
  stop(): Promise<void>;
}

const ROOT = path.join(__dirname, '..', '..');

/**
 * Starts a worker as its own process and resolves once it polls: `mes worker` for deliveries, or the baseline
 * worker. Both load TypeScript through tsx in the same process, so that the pid is the worker's own.
 * `nodeOptions` go to Node.js, for example `--cpu-prof`.
 */
export async function startWorkerChild(kind: 'orchestrator' | 'baseline', env: NodeJS.ProcessEnv, nodeOptions: string[] = []): Promise<WorkerChild> {
  const script = kind === 'orchestrator' ? path.join(ROOT, 'bin', 'mes.js') : path.join(ROOT, 'bench', 'baseline', 'baseline-worker.ts');
  const args = [...nodeOptions, ...(kind === 'orchestrator' ? [script, 'worker'] : ['--require', 'tsx/cjs', script])];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Worker running')) {
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`The ${kind} worker exited with code ${code} before polling`)));
  });

  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
