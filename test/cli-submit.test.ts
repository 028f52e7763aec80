import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIns, withWrongKey } from './support/identities';
import { documentFor, messageFor } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';
import { mesProcessEnv } from './support/worker-process';

const execFileAsync = promisify(execFile);
const MES = path.join(__dirname, '..', 'bin', 'mes.js');

let env: TestEnvironment;
let workDir: string;

beforeAll(async () => {
  env = await startTestEnvironment('cli-submit');
  workDir = mkdtempSync(path.join(os.tmpdir(), 'mes-cli-'));
});

afterAll(async () => {
  await env?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** Runs the `mes` command against the test servers, with its own worker on a task queue of its own. */
async function mes(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, [MES, ...args], {
    env: mesProcessEnv(env, `cli-${randomUUID()}`, workDir, { MES_PSEUDONYM_KEY: cliKey }),
    timeout: 120_000,
  });
}
const cliKey = randomBytes(32).toString('hex');

describe('mes submit --json', () => {
  it('prints one documented outcome per line, in input order', async () => {
    const activated = generateIns();
    const noEmail = generateIns({ department: '2B' });
    const opposed = generateIns();
    const message = messageFor(activated);
    const document = documentFor(noEmail);
    const rejected = messageFor(opposed);
    const invalid = messageFor(withWrongKey(generateIns()));
    const lines = [
      { type: 'account.created', ins: activated, amEmail: `am-${activated}@example.org` },
      { type: 'account.activated', ins: activated, personalEmail: `perso-${activated}@example.org` },
      { type: 'account.created', ins: noEmail, amEmail: null },
      { type: 'account.opposed', ins: opposed },
      message,
      document,
      rejected,
      invalid,
    ];
    const file = path.join(workDir, 'batch.jsonl');
    writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');

    const { stdout } = await mes(['submit', file, '--json', '--run-worker']);
    const outcomes = stdout.trim().split('\n').map((line) => JSON.parse(line));

    expect(outcomes).toHaveLength(lines.length);
    expect(outcomes.map((outcome) => outcome.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(outcomes[0]).toMatchObject({ type: 'account.created', outcome: 'applied', status: 'created' });
    // An account event without id reports the id derived from its content.
    expect(outcomes[0].id).toMatch(/^[0-9a-f]{24}$/);
    expect(outcomes[1]).toMatchObject({ type: 'account.activated', outcome: 'applied', status: 'activated' });
    expect(outcomes[3]).toMatchObject({ type: 'account.opposed', outcome: 'applied', status: 'opposed' });
    expect(outcomes[4]).toEqual({ line: 5, type: 'message', id: message.id, outcome: 'delivered', notification: 'personal-email' });
    expect(outcomes[5]).toEqual({ line: 6, type: 'document', id: document.id, outcome: 'stored', notification: 'yearly-statement' });
    expect(outcomes[6]).toMatchObject({ line: 7, id: rejected.id, outcome: 'rejected', errorCode: 'PATIENT_OPPOSED', notification: 'none' });
    expect(outcomes[6].message).toContain("s'est opposé");
    expect(outcomes[7]).toMatchObject({ line: 8, id: invalid.id, outcome: 'invalid', errorCode: 'INVALID_REQUEST' });
    expect(outcomes[7].message).toContain('champ « ins »');

    // The command waited for the notification before stopping its worker.
    expect(env.smtp.received.filter((mail) => mail.to.includes(`perso-${activated}@example.org`))).toHaveLength(1);
    // The invalid line started no workflow.
    await expect(env.temporal.workflow.getHandle(`message-${invalid.id}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('exits with 0 and prints a table without --json', async () => {
    const file = path.join(workDir, 'one-line.jsonl');
    writeFileSync(file, JSON.stringify(messageFor(generateIns())) + '\n');
    const { stdout } = await mes(['submit', file, '--run-worker']);
    const [header, row] = stdout.split('\n');
    expect(header).toMatch(/^line +type +id +outcome +notif. or status +error$/);
    expect(row).toMatch(/^1 +message +msg-\S+ +rejected +none +PATIENT_UNKNOWN: Refusé/);
  });
});

describe('mes submit with lifecycle and patient lines', () => {
  it('runs every line type of the holder and the lifecycle', async () => {
    const opening = generateIns();
    const holder = generateIns();
    const closing = generateIns();
    const message = messageFor(holder, { replyTo: `dr-${holder}@medecin.mssante.example` });
    const document = documentFor(holder);
    const address = { lines: ['M. Paul Exemple', '3 place du Marché'], postalCode: '13001', city: 'Marseille' };
    const lines = [
      { type: 'account.opening', id: `open-${opening}`, ins: opening, amEmail: null, postalAddress: address },
      { type: 'account.created', ins: holder, amEmail: null },
      message,
      document,
      { type: 'account.activated', ins: holder, personalEmail: `perso-${holder}@example.org` },
      { type: 'patient.message-read', ins: holder, messageId: message.id },
      { type: 'patient.document-read', ins: holder, documentId: document.id },
      { type: 'patient.reply', id: `reply-${holder}`, ins: holder, messageId: message.id, body: 'Merci.' },
      { type: 'conversation.ended', id: `end-${holder}`, ins: holder, messageId: message.id, professional: message.sender },
      { type: 'patient.reply', id: `reply-2-${holder}`, ins: holder, messageId: message.id, body: 'Encore une question.' },
      { type: 'account.created', ins: closing, amEmail: null },
      { type: 'account.closed', ins: closing, reason: 'holder-request' },
      { type: 'account.deletion-requested', ins: closing },
      { type: 'account.activated', ins: closing, personalEmail: `perso-${closing}@example.org` },
    ];
    const file = path.join(workDir, 'lifecycle.jsonl');
    writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');

    const { stdout } = await mes(['submit', file, '--json', '--run-worker']);
    const outcomes = stdout.trim().split('\n').map((line) => JSON.parse(line));

    expect(outcomes.map((outcome) => [outcome.type, outcome.outcome, outcome.status ?? outcome.errorCode ?? null])).toEqual([
      ['account.opening', 'applied', 'opening'],
      ['account.created', 'applied', 'created'],
      ['message', 'delivered', null],
      ['document', 'stored', null],
      ['account.activated', 'applied', 'activated'],
      ['patient.message-read', 'read', null],
      ['patient.document-read', 'read', null],
      ['patient.reply', 'replied', null],
      ['conversation.ended', 'ended', null],
      ['patient.reply', 'rejected', 'REPLY_BLOCKED'],
      ['account.created', 'applied', 'created'],
      ['account.closed', 'applied', 'closed'],
      ['account.deletion-requested', 'applied', 'closed'],
      ['account.activated', 'rejected', 'DELETION_PENDING'],
    ]);
    expect(outcomes[5]).toMatchObject({ id: message.id, subject: message.subject });

    // The command waited for the opening workflow to write its letter before stopping its worker.
    expect(readdirSync(path.join(workDir, 'letters'))).toContain(`opening-notice-open-${opening}.pdf`);
    expect(env.smtp.received.filter((mail) => mail.to.includes(`dr-${holder}@medecin.mssante.example`))).toHaveLength(1);
  });
});

/** Returns the JSON lines of the README's fenced block that follows `marker`. */
function readmeBlockAfter(marker: string): string[] {
  const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const start = readme.indexOf('```json', readme.indexOf(marker));
  const end = readme.indexOf('```', start + 7);
  return readme.slice(start + 7, end).trim().split('\n');
}

describe('README batch example', () => {
  // NOTE: the README's identities are fixed, so this expects a database that has not seen them yet. Each run's
  // embedded PostgreSQL is new, but a reused DATABASE_URL gives their second-run outcomes instead.
  it('gives the documented output', async () => {
    const file = path.join(workDir, 'readme-example.jsonl');
    writeFileSync(file, readmeBlockAfter('An example file').join('\n') + '\n');
    const documented = readmeBlockAfter('Its output with `--json`').map((line) => JSON.parse(line));

    const { stdout } = await mes(['submit', file, '--json', '--run-worker']);
    const actual = stdout.trim().split('\n').map((line) => JSON.parse(line));

    // Ids derived from account events depend on the pseudonym key, so only their shape is compared.
    const withoutDerivedIds = (outcome: { type: string; id?: string }) =>
      outcome.type.startsWith('account.') ? { ...outcome, id: outcome.id?.replace(/^[0-9a-f]{24}$/, 'derived') } : outcome;
    expect(actual.map(withoutDerivedIds)).toEqual(documented.map(withoutDerivedIds));
  });
});

describe('mes history', () => {
  it('prints the history of an activated account, newest first, in French', async () => {
    const ins = generateIns();
    const message = messageFor(ins);
    const file = path.join(workDir, 'history.jsonl');
    writeFileSync(
      file,
      [
        { type: 'account.created', ins, amEmail: null },
        { type: 'account.activated', ins, personalEmail: `perso-${ins}@example.org` },
        message,
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    await mes(['submit', file, '--run-worker']);

    const { stdout } = await mes(['history', ins, '--json']);
    const { entries } = JSON.parse(stdout);
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual([
      'notification.sent',
      'message.received',
      'account.activated',
      'account.created',
    ]);
    expect(entries[1]).toMatchObject({
      actorType: 'health-professional',
      actorId: message.sender.rpps,
      actorName: message.sender.name,
      actionLabel: 'Message reçu dans la messagerie sécurisée',
      subjectId: message.id,
    });
  });

  it('refuses the history of an account that is not activated', async () => {
    const ins = generateIns();
    const file = path.join(workDir, 'created.jsonl');
    writeFileSync(file, JSON.stringify({ type: 'account.created', ins, amEmail: null }) + '\n');
    await mes(['submit', file, '--run-worker']);

    await expect(mes(['history', ins])).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('ACCOUNT_NOT_ACTIVATED') });
  });
});
