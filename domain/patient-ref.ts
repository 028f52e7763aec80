import { createHmac } from 'node:crypto';

/**
 * Derives the pseudonymous patient reference from an INS: a keyed hash (HMAC-SHA-256, 96 bits kept).
 * The INS is a social security number, so workflow IDs, search attributes and logs carry this reference
 * instead. Without the key it cannot be linked back to the INS, whose space is small enough to enumerate.
 */
export function patientRefOf(ins: string, key: Buffer): string {
  const digest = createHmac('sha256', key).update(`ins:${ins}`).digest('hex');
  return `pt-${digest.slice(0, 24)}`;
}

/** Derives a stable identifier for content that has none, with the same key as patient references. */
export function contentIdOf(content: string, key: Buffer): string {
  return createHmac('sha256', key).update(`content:${content}`).digest('hex').slice(0, 24);
}
