import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** An SMTP server on 127.0.0.1 that accepts every email and notes when each Message-ID was accepted. */
export interface SmtpSink {
  url: string;
  /** Time (ms since the epoch) at which the server accepted each Message-ID, the first time. */
  acceptedAt: Map<string, number>;
  /** Emails accepted, copies included. */
  accepted(): number;
  close(): Promise<void>;
}

/** Starts the sink on a free port. It reads only the Message-ID header, to cost the benchmark little CPU. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const acceptedAt = new Map<string, number>();
  let accepted = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8_192) {
          head += chunk.toString('utf8');
        }
      });
      stream.on('end', () => {
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '';
        if (!acceptedAt.has(messageId)) {
          acceptedAt.set(messageId, Date.now());
        }
        accepted += 1;
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    acceptedAt,
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
