import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Settings } from './settings';

/**
 * Returns the key of the patient pseudonyms: `MES_PSEUDONYM_KEY` when set, else the key file under the data
 * folder, created once. Every client and worker of one deployment must share it, because workflow IDs of
 * account events are derived from it.
 */
export function loadPseudonymKey(settings: Settings): Buffer {
  if (settings.pseudonymKeyHex) {
    return Buffer.from(settings.pseudonymKeyHex, 'hex');
  }

  const keyFile = path.join(settings.dataDir, 'keys', 'pseudonym.key');
  try {
    return Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }

  mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  try {
    // The 'wx' flag makes a concurrent first start keep the key written first.
    writeFileSync(keyFile, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  }
  return Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex');
}
