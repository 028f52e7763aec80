import nodemailer from 'nodemailer';
import type { MailSender, OutgoingMail } from './mail-sender';

/**
 * Timeouts that make a silent relay a retryable failure, in milliseconds: to connect, to get the greeting, and
 * of silence on an open connection (a reply to DATA that never comes). `SMTP_URL` can set each of them.
 */
const DEFAULT_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as const;

/** Sends emails through an SMTP relay given as a URL, for example `smtp://user:password@relay:587`. */
export function createSmtpSender(smtpUrl: string): MailSender {
  // A pool reuses connections across notifications.
  const url = new URL(smtpUrl);
  url.searchParams.set('pool', 'true');
  if (!url.searchParams.has('maxConnections')) {
    url.searchParams.set('maxConnections', '5');
  }
  for (const [name, milliseconds] of Object.entries(DEFAULT_TIMEOUTS)) {
    if (!url.searchParams.has(name)) {
      url.searchParams.set(name, String(milliseconds));
    }
  }
  const transport = nodemailer.createTransport(url.toString());

  return {
    async send(mail: OutgoingMail): Promise<void> {
      await transport.sendMail(mail);
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}
