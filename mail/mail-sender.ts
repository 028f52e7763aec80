/** An email ready to send. Its Message-ID is stable per notification, so a resend can be recognized. */
export interface OutgoingMail {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** Sends emails: the outbox folder by default, an SMTP relay when `SMTP_URL` is set. */
export interface MailSender {
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}
