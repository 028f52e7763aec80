import pino, { type Logger } from 'pino';

/**
 * Creates the process logger: JSON lines on stderr, so that stdout stays free for command output. Messages are
 * constant and ids go in attributes; no INS, email address or health content is ever logged.
 */
export function createLogger(level: string, name = 'mes'): Logger {
  return pino({ name, level, base: { name } }, pino.destination({ dest: 2, sync: true }));
}
