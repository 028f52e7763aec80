import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { Pool } from 'pg';
import type { TestProject } from 'vitest/node';
import type {} from 'vitest';
import { createLogger } from '../config/logger';
import { migrate } from '../store/migrate';
import { startMissingServices } from '../worker/missing-services';
import { WORKFLOWS_SOURCE } from '../worker/orchestrator-worker';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    workflowBundlePath: string;
  }
}

/**
 * Starts one Temporal dev server and one PostgreSQL for the whole run, unless TEMPORAL_ADDRESS and DATABASE_URL
 * point to others. Then migrates the database and bundles the workflows once, so that each test file only
 * starts its own worker on its own task queue.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logger = createLogger(process.env.MES_LOG_LEVEL ?? 'warn', 'test-setup');
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'mes-test-'));
  const { temporalAddress, databaseUrl, stop } = await startMissingServices(
    { temporalAddress: process.env.TEMPORAL_ADDRESS, databaseUrl: process.env.DATABASE_URL },
    workDir,
    logger,
  );
  const pool = new Pool({ connectionString: databaseUrl });
  await migrate(pool);
  await pool.end();

  if (!('workflowsPath' in WORKFLOWS_SOURCE)) {
    throw new Error('Tests bundle the workflows from their source folder');
  }
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_SOURCE.workflowsPath, logger: new DefaultLogger('WARN') });
  const workflowBundlePath = path.join(workDir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);

  project.provide('temporalAddress', temporalAddress);
  project.provide('databaseUrl', databaseUrl);
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    await stop();
    rmSync(workDir, { recursive: true, force: true });
  };
}
