import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../config/logger';
import { REJECTION_MESSAGES } from '../domain/rejections';
import { ensurePythonEnv } from '../scripts/python-env';
import { workflowIds } from '../workflows/workflow-ids';
import { generateIns } from './support/identities';
import { activatedPatient, patientIn, type TestPatientStatus } from './support/patients';
import { countStoredItems, HEALTH_CONTENT, messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

const SEND_MESSAGE_SCRIPT = path.join(__dirname, '..', 'python', 'send_message.py');

/** One JSON line of the script's standard output. */
interface ScriptLine {
  decision?: Record<string, unknown>;
  result?: Record<string, unknown>;
  rejection?: { errorCode: string; message: string; fields?: Array<{ field: string; message: string }> };
}

/** What one run of the Python script printed: its JSON lines on stdout, its stderr and its exit status. */
interface ScriptRun {
  exitCode: number | null;
  lines: ScriptLine[];
  stderr: string;
}

let env: TestEnvironment;
let python: string;

beforeAll(async () => {
  // `npm test` builds it in its pretest step. This call covers running the file alone on a new machine.
  python = (await ensurePythonEnv(createLogger('warn', 'python-client-test'))).python;
  env = await startTestEnvironment('python-client');
});

afterAll(async () => {
  await env?.stop();
});

/**
 * Runs `python/send_message.py` with `stdin` as its standard input, configured like a backend of this
 * environment: its Temporal server, its workers' task queue and payload keys. `settings` overrides them, and an
 * undefined value removes the variable.
 */
function runSendMessage(stdin: string, options: { args?: string[]; settings?: Record<string, string | undefined> } = {}): Promise<ScriptRun> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    MES_TASK_QUEUE: env.taskQueue,
    MES_PAYLOAD_KEYS: env.payloadKeys,
  };
  for (const [name, value] of Object.entries(options.settings ?? {})) {
    if (value === undefined) {
      delete childEnv[name];
    } else {
      childEnv[name] = value;
    }
  }

  return new Promise((resolve, reject) => {
    const child = spawn(python, [SEND_MESSAGE_SCRIPT, ...(options.args ?? [])], { env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const lines = stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as ScriptLine);
      resolve({ exitCode, lines, stderr });
    });
    child.stdin.end(stdin);
  });
}

function mailsTo(address: string) {
  return env.smtp.received.filter((mail) => mail.to.includes(address));
}

describe('python/send_message.py', () => {
  it('delivers a message and emails the patient', async () => {
    const { ins, email } = await activatedPatient(env.client);
    const message = messageFor(ins);

    const run = await runSendMessage(JSON.stringify(message));

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.lines).toHaveLength(2);
    const decision = { outcome: 'delivered', id: message.id, notification: 'personal-email', readableByPatient: true };
    expect(run.lines[0]).toEqual({ decision });
    expect(run.lines[1]).toEqual({ result: { ...decision, notificationStatus: 'sent', finalChannel: 'personal-email' } });
    expect(await countStoredItems(env.pool, [message.id])).toBe(1);

    // The relay accepted the email before the workflow could report `sent`, so it is here already.
    const mails = mailsTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Nouveau message dans Mon espace santé');
    expect(mails[0]!.text).not.toContain(message.body);
    expect(mails[0]!.text).not.toContain(message.subject);
  });

  it.each<[TestPatientStatus, keyof typeof REJECTION_MESSAGES]>([
    ['opposed', 'PATIENT_OPPOSED'],
    ['closed', 'ACCOUNT_CLOSED'],
    ['opening', 'ACCOUNT_NOT_OPEN'],
    ['unknown', 'PATIENT_UNKNOWN'],
  ])('rejects a message on status %s with %s', async (status, code) => {
    const ins = await patientIn(env.client, status);
    const message = messageFor(ins);

    const run = await runSendMessage(JSON.stringify(message));

    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.lines).toEqual([{ rejection: { errorCode: code, message: REJECTION_MESSAGES[code] } }]);
    expect(await countStoredItems(env.pool, [message.id])).toBe(0);
  });

  it.each([
    ['a wrong RPPS number', (message: Record<string, unknown>) => ({ ...message, sender: { rpps: '123', name: 'Dr Paul Bernard' } }), 'sender.rpps'],
    ['a missing subject', ({ subject: _subject, ...message }: Record<string, unknown>) => message, 'subject'],
    ['an unknown field', (message: Record<string, unknown>) => ({ ...message, priority: 'high' }), 'priority'],
  ])('rejects %s before any workflow starts', async (_case, change, field) => {
    const valid = messageFor(generateIns());
    const message = change({ ...valid });

    const run = await runSendMessage(JSON.stringify(message));

    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.lines).toHaveLength(1);
    const rejection = run.lines[0]!.rejection;
    expect(rejection?.errorCode).toBe('INVALID_REQUEST');
    expect(rejection?.message).toContain(`champ « ${field} »`);
    expect(rejection?.fields?.map((problem) => problem.field)).toEqual([field]);
    await expect(env.temporal.workflow.getHandle(workflowIds.message(valid.id)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('rejects input that is not JSON', async () => {
    const run = await runSendMessage('{"type": "message",');

    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]!.rejection?.errorCode).toBe('INVALID_REQUEST');
    expect(run.lines[0]!.rejection?.message).toContain("n'est pas du JSON");
  });

  it('gives a repeated request the first result', async () => {
    const { ins, email } = await activatedPatient(env.client);
    const message = messageFor(ins);

    const first = await runSendMessage(JSON.stringify(message), { args: ['--no-wait'] });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.lines).toHaveLength(1);
    const decision = first.lines[0]!.decision;
    expect(decision).toEqual({ outcome: 'delivered', id: message.id, notification: 'personal-email', readableByPatient: true });

    // The run may still be open here (it attaches to the `decision` update) ...
    const second = await runSendMessage(JSON.stringify(message));
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.lines[0]).toEqual({ decision });
    expect(second.lines[1]).toEqual({ result: { ...decision, notificationStatus: 'sent', finalChannel: 'personal-email' } });

    // ... and is closed now, so the script reads the decision from the run's result instead.
    const third = await runSendMessage(JSON.stringify(message));
    expect(third.exitCode, third.stderr).toBe(0);
    expect(third.lines).toEqual(second.lines);

    expect(mailsTo(email)).toHaveLength(1);
    expect(await countStoredItems(env.pool, [message.id])).toBe(1);
  });

  it('keeps health content out of the history', async () => {
    const { ins, email } = await activatedPatient(env.client);
    const message = messageFor(ins);

    const run = await runSendMessage(JSON.stringify(message));
    expect(run.exitCode, run.stderr).toBe(0);

    // The workflow's input in this history was written by the Python codec.
    const response = await env.temporal.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: workflowIds.message(message.id) },
    });
    const raw = Buffer.from(temporal.api.history.v1.History.encode(response.history!).finish());
    expect(raw.includes(Buffer.from('binary/encrypted'))).toBe(true);
    for (const secret of [ins, message.body, message.subject, HEALTH_CONTENT.professional, email]) {
      expect(raw.includes(Buffer.from(secret)), secret).toBe(false);
    }
  });

  it('reads payload keys from the data folder', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mes-python-keys-'));
    try {
      mkdirSync(path.join(dataDir, 'keys'));
      writeFileSync(path.join(dataDir, 'keys', 'payload-keys'), `${env.payloadKeys}\n`);
      const { ins } = await activatedPatient(env.client);
      const message = messageFor(ins);

      const run = await runSendMessage(JSON.stringify(message), { settings: { MES_PAYLOAD_KEYS: undefined, MES_DATA_DIR: dataDir } });

      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.lines[1]).toMatchObject({ result: { outcome: 'delivered', notificationStatus: 'sent' } });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('exits with 2 without payload keys', async () => {
    const emptyDataDir = mkdtempSync(path.join(os.tmpdir(), 'mes-python-no-keys-'));
    try {
      const message = messageFor(generateIns());

      const run = await runSendMessage(JSON.stringify(message), { settings: { MES_PAYLOAD_KEYS: undefined, MES_DATA_DIR: emptyDataDir } });

      expect(run.exitCode).toBe(2);
      expect(run.lines).toEqual([]);
      expect(run.stderr).toContain('MES_PAYLOAD_KEYS');
      await expect(env.temporal.workflow.getHandle(workflowIds.message(message.id)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    } finally {
      rmSync(emptyDataDir, { recursive: true, force: true });
    }
  });
});
