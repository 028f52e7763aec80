import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIns, withWrongKey } from './support/identities';
import { activatedPatient } from './support/patients';
import { consultationFor, messageFor, newProfessional } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';
import { mesProcessEnv } from './support/worker-process';

const execFileAsync = promisify(execFile);
const MES = path.join(__dirname, '..', 'bin', 'mes.js');
const FIXTURES = path.join(__dirname, 'fixtures');

let env: TestEnvironment;
let workDir: string;

beforeAll(async () => {
  env = await startTestEnvironment('bad-input');
  workDir = mkdtempSync(path.join(os.tmpdir(), 'mes-bad-input-'));
});

afterAll(async () => {
  await env?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/**
 * Starts a workflow directly, as a backend in another language does, so that the typed client's check never
 * runs, and returns the failure the workflow ends with.
 */
async function failureOfDirectStart(workflowType: string, workflowId: string, input: unknown): Promise<ApplicationFailure> {
  const failure = await env.temporal.workflow.execute(workflowType, { taskQueue: env.taskQueue, workflowId, args: [input] }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  return (failure as WorkflowFailedError).cause as ApplicationFailure;
}

describe('bad input corpus', () => {
  it('is invalid, starts nothing, spares good lines', async () => {
    const corpus = readFileSync(path.join(FIXTURES, 'bad-lines.jsonl'), 'utf8').trimEnd().split('\n');
    const descriptions = readFileSync(path.join(FIXTURES, 'bad-lines.txt'), 'utf8').trimEnd().split('\n');
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(descriptions).toHaveLength(corpus.length);

    // Too large to commit: a document over the size limit and a 10 MB line, generated here.
    const ins = generateIns();
    const oversized = messageFor(ins, { id: 'bad-oversized-document' }) as unknown as Record<string, unknown>;
    const bigDocument = JSON.stringify({
      type: 'document',
      id: 'bad-big-doc',
      ins,
      author: { rpps: '10745246859', name: 'Dr Claire Martin' },
      title: 'Titre',
      typeCode: '11490-0',
      mimeType: 'application/pdf',
      contentBase64: Buffer.alloc(1024 * 1024 + 3).toString('base64'),
    });
    const tenMegabytes = JSON.stringify({ ...oversized, body: 'a'.repeat(10 * 1024 * 1024) });
    const good = messageFor(ins);
    const lines = [
      JSON.stringify({ type: 'account.created', ins, amEmail: null }),
      ...corpus,
      bigDocument,
      tenMegabytes,
      JSON.stringify(good),
    ];
    const file = path.join(workDir, 'bad.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');

    const { stdout } = await execFileAsync(process.execPath, [MES, 'submit', file, '--json', '--run-worker'], {
      env: mesProcessEnv(env, `bad-${randomUUID()}`, workDir, { MES_PSEUDONYM_KEY: randomBytes(32).toString('hex') }),
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const outcomes = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(outcomes).toHaveLength(lines.length);

    expect(outcomes[0]).toMatchObject({ outcome: 'applied' });
    expect(outcomes.at(-1)).toMatchObject({ id: good.id, outcome: 'delivered' });
    const bad = outcomes.slice(1, -1);
    const labels = [...descriptions, 'document over 1 MiB', 'a 10 MB line'];
    bad.forEach((outcome, index) => {
      expect(outcome, labels[index]).toMatchObject({ outcome: 'invalid', errorCode: 'INVALID_REQUEST' });
      expect(outcome.message, labels[index]).toMatch(/^Requête invalide : /);
    });
    // Lines that are JSON objects name the field at fault.
    const fieldErrors = bad.filter((outcome) => !/JSON valide|ligne trop longue/.test(outcome.message));
    for (const outcome of fieldErrors) {
      expect(outcome.message).toContain('champ');
    }

    for (const workflowId of ['message-bad-msg', 'document-bad-doc', 'document-bad-big-doc', 'consultation-bad-cons', 'reply-bad-reply']) {
      await expect(env.temporal.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    }
    const stored = await env.pool.query("SELECT count(*)::int AS n FROM messages WHERE id LIKE 'bad-%'");
    expect(stored.rows[0].n).toBe(0);
    const storedDocuments = await env.pool.query("SELECT count(*)::int AS n FROM documents WHERE id LIKE 'bad-%'");
    expect(storedDocuments.rows[0].n).toBe(0);
  });

  it('is rejected by the worker without the client', async () => {
    const { ins } = await activatedPatient(env.client);
    const message = messageFor(withWrongKey(ins), { body: '<script>alert(1)</script>' });

    const cause = await failureOfDirectStart('sendMessage', `message-${message.id}`, message);
    expect(cause.type).toBe('INVALID_REQUEST');
    expect(cause.message).toContain('champ « ins »');
    expect(cause.message).toContain('champ « body »');

    const stored = await env.pool.query('SELECT count(*)::int AS n FROM messages WHERE id = $1', [message.id]);
    expect(stored.rows[0].n).toBe(0);
    const traces = await env.pool.query('SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1', [message.id]);
    expect(traces.rows[0].n).toBe(0);
  });

  it('of a consultation is rejected by the worker', async () => {
    const { ins } = await activatedPatient(env.client);
    const consultation = consultationFor(withWrongKey(ins), newProfessional());

    const cause = await failureOfDirectStart('consultDmp', `consultation-${consultation.id}`, consultation);
    expect(cause.type).toBe('INVALID_REQUEST');
    expect(cause.message).toContain('champ « ins »');

    const stored = await env.pool.query('SELECT count(*)::int AS n FROM consultations WHERE id = $1', [consultation.id]);
    expect(stored.rows[0].n).toBe(0);
  });
});
