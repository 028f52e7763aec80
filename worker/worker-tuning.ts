import type { WorkerOptions } from '@temporalio/worker';
import type { Settings } from '../config/settings';

/** Worker options that set how much runs at once and how many workflows stay cached; unset keeps the SDK's. */
export type WorkerTuningOptions = Pick<
  WorkerOptions,
  'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows'
>;

/**
 * Turns the tuning settings into worker options. The orchestrator's worker and the benchmark's baseline worker
 * both take them from here, so that the two are compared with the same settings.
 */
export function workerTuningOf(settings: Pick<Settings, 'workerTuning'>): WorkerTuningOptions {
  const { maxActivities, maxWorkflowTasks, maxCachedWorkflows } = settings.workerTuning;
  return {
    ...(maxActivities !== undefined ? { maxConcurrentActivityTaskExecutions: maxActivities } : {}),
    ...(maxWorkflowTasks !== undefined ? { maxConcurrentWorkflowTaskExecutions: maxWorkflowTasks } : {}),
    ...(maxCachedWorkflows !== undefined ? { maxCachedWorkflows } : {}),
  };
}
