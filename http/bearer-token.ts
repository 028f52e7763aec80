import { createHash, timingSafeEqual } from 'node:crypto';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Tells whether an `Authorization` header carries the expected bearer token (RFC 6750). The two tokens are
 * compared through their SHA-256 digests, which have the same length, so the comparison takes the same time
 * whatever the token given and reveals neither its length nor its first matching characters.
 */
export function hasBearerToken(authorization: string | undefined, expectedToken: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  if (!match) {
    return false;
  }
  return timingSafeEqual(sha256(match[1]!), sha256(expectedToken));
}
