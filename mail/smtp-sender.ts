import nodemailer from 'nodemailer';
import type { MailSender, OutgoingMail } from './mail-sender';

/** Sends emails through an SMTP relay given as a URL, for example `smtp://user:password@relay:587`. */
export function createSmtpSender(smtpUrl: string): MailSender {
  // A pool reuses connections across notifications; the timeouts make a silent server a retryable failure.
  const url = new URL(smtpUrl);
  url.searchParams.set('pool', 'true');
  url.searchParams.set('maxConnections', '5');
  url.searchParams.set('connectionTimeout', '10000');
  url.searchParams.set('greetingTimeout', '10000');
  url.searchParams.set('socketTimeout', '20000');
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
