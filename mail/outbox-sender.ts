import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailSender, OutgoingMail } from './mail-sender';

/**
 * Writes each email as an RFC 5322 `.eml` file in a folder, the embedded default. The file is named after the
 * Message-ID and written through a rename, so a retried send replaces the file instead of adding a second one.
 */
export function createOutboxSender(outboxDir: string): MailSender {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  return {
    async send(mail: OutgoingMail): Promise<void> {
      const info = await composer.sendMail({ ...mail, messageId: mail.messageId });
      const fileName = mail.messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9.@_-]/g, '_') + '.eml';

      await mkdir(outboxDir, { recursive: true });
      const target = path.join(outboxDir, fileName);
      const temporary = `${target}.tmp-${process.pid}`;
      await writeFile(temporary, info.message as Buffer);
      await rename(temporary, target);
    },
    async close(): Promise<void> {
      composer.close();
    },
  };
}
