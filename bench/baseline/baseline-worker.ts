// A worker process for the baseline workflow, with the settings `mes worker` uses: the same connection, payload
// codec and tuning, so that the benchmark compares deliveries with the bare cost of Temporal on equal terms.
//
// Usage (the benchmark starts it): tsx bench/baseline/baseline-worker.ts, with TEMPORAL_ADDRESS and MES_TASK_QUEUE.
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createLogger } from '../../config/logger';
import { loadPayloadCodec } from '../../config/payload-keys';
import { loadSettings } from '../../config/settings';
import { connectOptionsFor } from '../../config/temporal-connection';
import { installTemporalRuntime } from '../../worker/temporal-runtime';
import { workerTuningOf } from '../../worker/worker-tuning';
import { baselineActivities } from './baseline-activities';

async function main(): Promise<void> {
  const settings = loadSettings(process.env);
  const logger = createLogger(settings.logLevel, 'baseline-worker');
  installTemporalRuntime(logger, 'WARN');
  if (!settings.temporalAddress) {
    throw new Error('The baseline worker needs TEMPORAL_ADDRESS');
  }

  const connection = await NativeConnection.connect(connectOptionsFor(settings, settings.temporalAddress));
  const worker = await Worker.create({
    connection,
    namespace: settings.temporalNamespace,
    taskQueue: settings.taskQueue,
    workflowsPath: path.join(__dirname, 'baseline-workflow.ts'),
    activities: baselineActivities,
    dataConverter: { payloadCodecs: [loadPayloadCodec(settings)] },
    ...workerTuningOf(settings),
  });
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const running = worker.run();
  process.stdout.write(`Worker running on task queue ${settings.taskQueue}.\n`);
  await running;
  await connection.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`baseline worker: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
