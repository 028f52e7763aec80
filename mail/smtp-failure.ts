/**
 * Tells whether a failed send is permanent. SMTP 5xx replies and rejected addresses will fail the same way
 * again, so they are not retried; 4xx replies, refused connections and timeouts are transient and retried.
 */
export function isPermanentMailFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { responseCode, code } = error as { responseCode?: number; code?: string };

  if (typeof responseCode === 'number') {
    return responseCode >= 500 && responseCode < 600;
  }
  // nodemailer raises EENVELOPE without a reply code when no recipient address is valid.
  return code === 'EENVELOPE';
}

/** Describes a mail failure in a few words for the notification record, without the recipient's address. */
export function describeMailFailure(error: unknown): string {
  if (typeof error !== 'object' || error === null) {
    return String(error);
  }
  const { responseCode, code } = error as { responseCode?: number; code?: string };
  const parts = [code, responseCode === undefined ? undefined : `SMTP ${responseCode}`].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : 'unknown mail failure';
}
