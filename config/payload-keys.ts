import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AesGcmPayloadCodec } from '../codec/aes-gcm-codec';
import type { Settings } from './settings';

/**
 * Parses a key list such as `k2:<64 hex>,k1:<64 hex>`: the first key encrypts new payloads, every listed key
 * decrypts, which lets keys rotate.
 */
export function parsePayloadKeys(text: string): { keys: Map<string, Buffer>; currentKeyId: string } {
  const keys = new Map<string, Buffer>();
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [id, hex] = entry.split(':');
    if (!id || !hex || !/^[0-9a-f]{64}$/i.test(hex)) {
      throw new Error(`Invalid payload key "${id ?? entry}": expected id:<64 hexadecimal characters>`);
    }
    keys.set(id, Buffer.from(hex, 'hex'));
  }
  const currentKeyId = keys.keys().next().value;
  if (!currentKeyId) {
    throw new Error('No payload key given: expected id:<64 hexadecimal characters>[,id:<hex>...]');
  }
  return { keys, currentKeyId };
}

/**
 * Builds the payload codec from `MES_PAYLOAD_KEYS`, else from the key file under the data folder, created once.
 * Every client and worker of a deployment, and the codec server, must share the keys.
 */
export function loadPayloadCodec(settings: Settings): AesGcmPayloadCodec {
  const fromEnvironment = process.env.MES_PAYLOAD_KEYS;
  if (fromEnvironment) {
    const { keys, currentKeyId } = parsePayloadKeys(fromEnvironment);
    return new AesGcmPayloadCodec(keys, currentKeyId);
  }

  const keyFile = path.join(settings.dataDir, 'keys', 'payload-keys');
  mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  try {
    // The 'wx' flag makes a concurrent first start keep the keys written first.
    writeFileSync(keyFile, `k1:${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  }
  const { keys, currentKeyId } = parsePayloadKeys(readFileSync(keyFile, 'utf8').trim());
  return new AesGcmPayloadCodec(keys, currentKeyId);
}
