import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIns } from './support/identities';
import { consultationFor, documentFor, HEALTH_CONTENT, messageFor, newProfessional } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

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

describe('logs of a mixed batch', () => {
  it('contain no INS, email address or health content, even at debug level', async () => {
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

    const { stderr } = await execFileAsync(process.execPath, [MES, 'submit', file, '--json', '--run-worker'], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env.temporalAddress,
        DATABASE_URL: env.databaseUrl,
        SMTP_URL: env.smtp.url,
        MES_TASK_QUEUE: `logs-${randomUUID()}`,
        MES_PSEUDONYM_KEY: randomBytes(32).toString('hex'),
        MES_DATA_DIR: workDir,
        MES_LOG_LEVEL: 'debug',
      },
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });

    // The run logged something, so the search below has material.
    expect(stderr).toContain('Item accepted');
    for (const secret of [activated, opposed, personalEmail, HEALTH_CONTENT.subject, HEALTH_CONTENT.body, HEALTH_CONTENT.title, HEALTH_CONTENT.professional]) {
      expect(stderr.includes(secret), secret).toBe(false);
    }
  });
});
