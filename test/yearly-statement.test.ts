import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientRefOf } from '../domain/patient-ref';
import type { YearlyStatementProgress } from '../workflows/yearly-statement';
import { generateIns } from './support/identities';
import { activatedPatient } from './support/patients';
import { consultationFor, documentFor, messageFor, newProfessional } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

const ADDRESS = { lines: ['Mme Lucie Exemple', '8 avenue des Lilas'], postalCode: '31000', city: 'Toulouse' };

let env: TestEnvironment;
/** Items are stored with today's date, so the statement covers the current year. */
const year = new Date().getFullYear();

beforeAll(async () => {
  env = await startTestEnvironment('yearly-statement');
});

afterAll(async () => {
  await env?.stop();
});

async function runStatement(workflowId: string, options: { pageSize?: number; pagesPerRun?: number } = {}): Promise<YearlyStatementProgress> {
  return env.temporal.workflow.execute('yearlyStatement', {
    workflowId,
    taskQueue: env.taskQueue,
    args: [{ year, pageSize: options.pageSize ?? 100, chunkSize: 2, pagesPerRun: options.pagesPerRun ?? 50 }],
  });
}

async function statementOf(ins: string): Promise<{ short_version: boolean; letter_file: string } | undefined> {
  const result = await env.pool.query('SELECT short_version, letter_file FROM statements WHERE patient_ref = $1 AND year = $2', [
    patientRefOf(ins, env.pseudonymKey),
    year,
  ]);
  return result.rows[0];
}

describe('yearly statement', () => {
  it('sends once per eligible account across runs', async () => {
    // Eligible: created without email, with activity and without; and an activated holder whose notice fell back.
    const withActivity = generateIns();
    await env.client.applyAccountEvent({ type: 'account.created', ins: withActivity, amEmail: null, postalAddress: ADDRESS });
    await env.client.sendMessage(messageFor(withActivity));
    await env.client.feedDocument(documentFor(withActivity));
    await env.client.consultDmp(consultationFor(withActivity, newProfessional()));
    const quiet = generateIns();
    await env.client.applyAccountEvent({ type: 'account.created', ins: quiet, amEmail: null });
    const { ins: fellBack } = await activatedPatient(env.client);
    env.smtp.failNext({ code: 550, message: 'Mailbox unavailable', times: 1 });
    const bounced = messageFor(fellBack);
    await env.client.sendMessage(bounced);
    await env.client.messageResult(bounced.id);
    // Not eligible: created with an email, and activated without fallback.
    const withEmail = generateIns();
    await env.client.applyAccountEvent({ type: 'account.created', ins: withEmail, amEmail: `am-${withEmail}@example.org` });
    const { ins: activated } = await activatedPatient(env.client);

    const first = await runStatement(`statement-${year}-${withActivity}`, { pageSize: 2, pagesPerRun: 1 });
    expect(first.done).toBe(true);
    expect(first.runs).toBeGreaterThan(1);

    expect(await statementOf(withActivity)).toMatchObject({ short_version: false });
    expect(await statementOf(quiet)).toMatchObject({ short_version: true });
    expect(await statementOf(fellBack)).toBeDefined();
    expect(await statementOf(withEmail)).toBeUndefined();
    expect(await statementOf(activated)).toBeUndefined();

    const lettersDir = path.join(env.lettersDir, String(year));
    const letter = (await statementOf(withActivity))!.letter_file.split('/')[1]!;
    expect(readdirSync(lettersDir)).toContain(letter);
    const manifest = readFileSync(path.join(lettersDir, 'manifest.csv'), 'utf8');
    expect(manifest).toContain(`${year}/${letter},full,ok,Mme Lucie Exemple,8 avenue des Lilas,,,,31000,Toulouse`);
    expect(manifest).toMatch(new RegExp(`statement-${year}-${patientRefOf(quiet, env.pseudonymKey)}\\.pdf,short,address_missing`));

    // Another test file sends the statements of another year to every eligible account, this one's included.
    const history = await env.pool.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'statement.sent' AND patient_ref = $1 AND subject_id = $2",
      [patientRefOf(withActivity, env.pseudonymKey), String(year)],
    );
    expect(history.rows[0].n).toBe(1);

    // The batch covers every eligible account of the database, and other test files add some while this one
    // runs, so the second run is checked on this file's accounts: nothing new for them.
    const before = await Promise.all([withActivity, quiet, fellBack].map(statementOf));
    const second = await runStatement(`statement-${year}-${withActivity}-again`);
    expect(second.alreadySent).toBeGreaterThanOrEqual(3);
    expect(await Promise.all([withActivity, quiet, fellBack].map(statementOf))).toEqual(before);
    const historyAfter = await env.pool.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'statement.sent' AND patient_ref = $1 AND subject_id = $2",
      [patientRefOf(withActivity, env.pseudonymKey), String(year)],
    );
    expect(historyAfter.rows[0].n).toBe(1);
  });
});
