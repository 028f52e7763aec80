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
  /** Leaves the next `times` messages without a reply to their DATA, as a relay that hangs; they are not kept. */
  stallNext(times: number): void;
  /** Fails each message with the reply `failure` picks, or accepts it when that gives null; null stops it. */
  failWhen(failure: ((sequence: number) => Omit<InjectedFailure, 'times'> | null) | null): void;
  /** Replies given instead of accepting, in order, as SMTP codes. */
  refusals: number[];
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
  const refusals: number[] = [];
  let pending: InjectedFailure | null = null;
  let stalls = 0;
  let picker: ((sequence: number) => Omit<InjectedFailure, 'times'> | null) | null = null;
  let sequence = 0;

  function refuse(failure: Omit<InjectedFailure, 'times'>, callback: (error?: Error | null) => void): void {
    refusals.push(failure.code);
    const error = new Error(failure.message) as Error & { responseCode: number };
    error.responseCode = failure.code;
    callback(error);
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        sequence += 1;
        if (stalls > 0) {
          // No reply at all: the client's socket timeout ends the session, and the message is dropped.
          stalls -= 1;
          return;
        }
        if (pending && pending.times > 0) {
          pending.times -= 1;
          refuse(pending, callback);
          return;
        }
        const picked = picker?.(sequence) ?? null;
        if (picked) {
          refuse(picked, callback);
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
    refusals,
    failNext(failure) {
      pending = { ...failure };
    },
    stallNext(times) {
      stalls = times;
    },
    failWhen(failure) {
      picker = failure;
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
