import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { AesGcmPayloadCodec } from '../../codec/aes-gcm-codec';
import { parsePayloadKeys } from '../../config/payload-keys';
import type { RunServices } from '../../worker/missing-services';

/** The keys, client and worker environment a benchmark run shares between its load generator and its workers. */
export interface BenchRun {
  pseudonymKey: Buffer;
  connection: Connection;
  temporal: Client;
  /** Environment of a worker or `mes` process on `taskQueue`, with the run's services and keys. */
  processEnv(taskQueue: string): NodeJS.ProcessEnv;
}

/** Creates fresh keys for the run and connects a client that encrypts payloads with them. */
export async function prepareBenchRun(services: RunServices, smtpUrl: string, workDir: string): Promise<BenchRun> {
  const pseudonymKey = randomBytes(32);
  const payloadKeys = `bench:${randomBytes(32).toString('hex')}`;
  const { keys, currentKeyId } = parsePayloadKeys(payloadKeys);
  const connection = await Connection.connect({ address: services.temporalAddress });
  const temporal = new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [new AesGcmPayloadCodec(keys, currentKeyId)] } });

  return {
    pseudonymKey,
    connection,
    temporal,
    processEnv: (taskQueue) => ({
      ...process.env,
      TEMPORAL_ADDRESS: services.temporalAddress,
      DATABASE_URL: services.databaseUrl,
      SMTP_URL: smtpUrl,
      MES_TASK_QUEUE: taskQueue,
      MES_PSEUDONYM_KEY: pseudonymKey.toString('hex'),
      MES_PAYLOAD_KEYS: payloadKeys,
      MES_DATA_DIR: workDir,
      MES_LOG_LEVEL: 'warn',
    }),
  };
}

/** Runs a benchmark's main function and exits with 0, or with 1 after printing the error. */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
