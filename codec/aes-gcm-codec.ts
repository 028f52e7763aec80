import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** Encoding name of an encrypted payload; other payloads pass through unchanged. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key that names the key a payload was encrypted with, so that keys can rotate. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a payload names a key this process does not have; the payload cannot be read here. */
export class UnknownPayloadKeyError extends Error {
  constructor(keyId: string) {
    super(`Payload encrypted with key "${keyId}", which is not among MES_PAYLOAD_KEYS; add it to read this payload`);
    this.name = 'UnknownPayloadKeyError';
  }
}

/**
 * Temporal payload codec that encrypts every payload with AES-256-GCM, so that workflow histories contain no
 * readable health data or INS. New payloads use the current key. The key id travels in the payload's metadata,
 * so payloads written with an older key stay readable while that key is kept.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly currentKeyId: string,
  ) {
    const current = keys.get(currentKeyId);
    if (!current || current.length !== 32) {
      throw new Error(`The current payload key "${currentKeyId}" must be 32 bytes`);
    }
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.currentKeyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plaintext = temporal.api.common.v1.Payload.encode(payload).finish();
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return {
        metadata: {
          encoding: Buffer.from(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: Buffer.from(this.currentKeyId),
        },
        data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCRYPTED_ENCODING) {
        return payload;
      }
      const keyId = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
      const key = this.keys.get(keyId);
      if (!key) {
        throw new UnknownPayloadKeyError(keyId);
      }
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plaintext);
    });
  }
}
