import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** An email as the test SMTP server received it. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  raw: string;
}

/** A reply the server gives to the next DATA commands instead of accepting them, for fault tests. */
export interface InjectedFailure {
  code: number;
  message: string;
  /** How many messages get this reply before the server accepts again. */
  times: number;
}

/** A real SMTP server on 127.0.0.1 that stores what it receives and fails on request. */
export interface SmtpTestServer {
  url: string;
  received: ReceivedMail[];
  failNext(failure: InjectedFailure): void;
  /** Resolves once `count` emails have arrived, or rejects after `timeoutMs`. */
  waitForMails(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

function addressesOf(parsed: ParsedMail): string[] {
  const to = parsed.to === undefined ? [] : Array.isArray(parsed.to) ? parsed.to : [parsed.to];
  return to.flatMap((group) => group.value.map((entry) => entry.address ?? ''));
}

/** Starts the server on 127.0.0.1, on the given port or a free one. */
export async function startSmtpTestServer(port = 0): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = [];
  let pending: InjectedFailure | null = null;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (pending && pending.times > 0) {
          pending.times -= 1;
          const error = new Error(pending.message) as Error & { responseCode: number };
          error.responseCode = pending.code;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              to: addressesOf(parsed),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              messageId: parsed.messageId ?? '',
              raw,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });

  // A client that dies mid-session (a killed worker) resets its connection: that is expected here.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: listening } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${listening}`,
    received,
    failNext(failure) {
      pending = { ...failure };
    },
    async waitForMails(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`Expected ${count} emails within ${timeoutMs} ms, received ${received.length}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
