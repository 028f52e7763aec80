import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIns } from './support/identities';
import { consultationFor, documentFor, HEALTH_CONTENT, messageFor, newProfessional } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';
import { mesProcessEnv } from './support/worker-process';

const execFileAsync = promisify(execFile);
const MES = path.join(__dirname, '..', 'bin', 'mes.js');

let env: TestEnvironment;
let workDir: string;

beforeAll(async () => {
  env = await startTestEnvironment('no-personal-data-in-logs');
  workDir = mkdtempSync(path.join(os.tmpdir(), 'mes-logs-'));
});

afterAll(async () => {
  await env?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** Lists the workflows of a task queue once visibility has caught up with at least `atLeast` of them. */
async function workflowsOf(taskQueue: string, atLeast: number): Promise<temporal.api.workflow.v1.IWorkflowExecutionInfo[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await env.temporal.workflowService.listWorkflowExecutions({ namespace: 'default', query: `TaskQueue = '${taskQueue}'`, pageSize: 1000 });
    if (response.executions.length >= atLeast || Date.now() > deadline) {
      return response.executions;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// The secrets searched: the batch's INS, an email address and every health text.
describe('a mixed batch', () => {
  it('keeps personal data out of logs and Temporal', async () => {
    const activated = generateIns();
    const opposed = generateIns();
    const personalEmail = `perso-${activated}@example.org`;
    const lines = [
      { type: 'account.created', ins: activated, amEmail: `am-${activated}@example.org` },
      { type: 'account.activated', ins: activated, personalEmail },
      { type: 'account.opposed', ins: opposed },
      messageFor(activated),
      documentFor(activated, { visibility: ['MASQUE_PS'] }),
      consultationFor(activated, newProfessional(), { mode: 'emergency' }),
      messageFor(opposed),
      messageFor(activated.slice(0, 13) + '00'),
    ];
    const file = path.join(workDir, 'mixed.jsonl');
    writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');

    const taskQueue = `logs-${randomUUID()}`;
    const { stderr } = await execFileAsync(process.execPath, [MES, 'submit', file, '--json', '--run-worker'], {
      env: mesProcessEnv(env, taskQueue, workDir, { MES_PSEUDONYM_KEY: randomBytes(32).toString('hex'), MES_LOG_LEVEL: 'debug' }),
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });

    const secrets = [activated, opposed, personalEmail, HEALTH_CONTENT.subject, HEALTH_CONTENT.body, HEALTH_CONTENT.title, HEALTH_CONTENT.professional];
    // The run logged something, so the search below has material.
    expect(stderr).toContain('Item accepted');
    for (const secret of secrets) {
      expect(stderr.includes(secret), `log: ${secret}`).toBe(false);
    }

    // Everything the Temporal server stores about the batch's runs, as stored: the listing (IDs, memos, search
    // attributes), each run's description and its full history, encoded, before any codec.
    const executions = await workflowsOf(taskQueue, 6);
    expect(executions.length).toBeGreaterThanOrEqual(6);
    for (const execution of executions) {
      const workflowId = execution.execution!.workflowId!;
      const description = await env.temporal.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId } });
      const history = await env.temporal.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
      const stored = Buffer.concat([
        Buffer.from(workflowId),
        Buffer.from(temporal.api.workflow.v1.WorkflowExecutionInfo.encode(execution).finish()),
        Buffer.from(temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(description).finish()),
        Buffer.from(temporal.api.history.v1.History.encode(history.history!).finish()),
      ]);
      // The bytes searched hold the run's payloads, in their encrypted form.
      expect(stored.includes(Buffer.from('binary/encrypted')), workflowId).toBe(true);
      for (const secret of secrets) {
        expect(stored.includes(Buffer.from(secret)), `${workflowId}: ${secret}`).toBe(false);
      }
    }
  });
});
