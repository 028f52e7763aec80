import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { loadSettings } from '../config/settings';
import { connectOptionsFor, loadTemporalConnectionSettings } from '../config/temporal-connection';

let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'mes-envconfig-'));
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** Writes a Temporal CLI profile file with a `default` and a `cloud` profile. */
function profileFile(defaultAddress: string): string {
  const file = path.join(workDir, `temporal-${Math.random().toString(36).slice(2)}.toml`);
  writeFileSync(
    file,
    [
      '[profile.default]',
      `address = "${defaultAddress}"`,
      'namespace = "mon-espace-sante"',
      '',
      '[profile.cloud]',
      'address = "mes.a1b2c.tmprl.cloud:7233"',
      'namespace = "mes.a1b2c"',
      'api_key = "cloud-key-for-tests"',
      '',
    ].join('\n'),
  );
  return file;
}

describe('Temporal connection settings', () => {
  it('start the dev server when nothing is set', () => {
    const settings = loadTemporalConnectionSettings({ TEMPORAL_CONFIG_FILE: path.join(workDir, 'absent.toml') });
    expect(settings.address).toBeUndefined();
    expect(settings.namespace).toBe('default');
    expect(settings.options).toEqual({});
  });

  it('read address, namespace and API key variables', () => {
    const settings = loadTemporalConnectionSettings({
      TEMPORAL_CONFIG_FILE: path.join(workDir, 'absent.toml'),
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'mes-prod',
      TEMPORAL_API_KEY: 'key-for-tests',
    });
    expect(settings.address).toBe('temporal.internal:7233');
    expect(settings.namespace).toBe('mes-prod');
    // An API key turns TLS on, as Temporal Cloud requires.
    expect(settings.options).toEqual({ apiKey: 'key-for-tests', tls: true });
  });

  it('read a profile, with variables taking precedence', () => {
    const file = profileFile('127.0.0.1:7233');
    const cloud = loadTemporalConnectionSettings({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'cloud' });
    expect(cloud).toEqual({ address: 'mes.a1b2c.tmprl.cloud:7233', namespace: 'mes.a1b2c', options: { apiKey: 'cloud-key-for-tests', tls: true } });

    const overridden = loadTemporalConnectionSettings({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_NAMESPACE: 'other' });
    expect(overridden.namespace).toBe('other');
    expect(overridden.address).toBe('127.0.0.1:7233');
  });

  it('keep credentials off other addresses', () => {
    const settings = loadSettings({ TEMPORAL_CONFIG_FILE: path.join(workDir, 'absent.toml'), TEMPORAL_ADDRESS: 'a:7233', TEMPORAL_API_KEY: 'k' });
    expect(connectOptionsFor(settings, 'a:7233')).toEqual({ address: 'a:7233', apiKey: 'k', tls: true });
    expect(connectOptionsFor(settings, '127.0.0.1:7233')).toEqual({ address: '127.0.0.1:7233' });
  });

  it('reach the server a profile names', async () => {
    const settings = loadSettings({ TEMPORAL_CONFIG_FILE: profileFile(inject('temporalAddress')) });
    const connection = await Connection.connect(connectOptionsFor(settings, settings.temporalAddress!));
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toMatch(/^\d+\.\d+/);
    } finally {
      await connection.close();
    }
  });
});
