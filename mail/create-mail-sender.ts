import path from 'node:path';
import type { Settings } from '../config/settings';
import type { MailSender } from './mail-sender';
import { createOutboxSender } from './outbox-sender';
import { createSmtpSender } from './smtp-sender';

/** Folder of the `.eml` files written when no SMTP relay is configured. */
export function outboxDirOf(settings: Settings): string {
  return path.join(settings.dataDir, 'outbox');
}

/** Folder of the PDF letters written by the embedded postal channel. */
export function lettersDirOf(settings: Settings): string {
  return path.join(settings.dataDir, 'letters');
}

/** Chooses the mail sender: the SMTP relay of `SMTP_URL`, else `.eml` files in the outbox folder. */
export function createMailSender(settings: Settings): MailSender {
  return settings.smtpUrl ? createSmtpSender(settings.smtpUrl) : createOutboxSender(outboxDirOf(settings));
}
