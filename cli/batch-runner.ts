import { batchLineSchema, type BatchLine } from '../contracts/batch-line';
import type { DeliveryAccepted } from '../contracts/delivery-result';
import { describeZodError, formatFieldProblems, INVALID_REQUEST, jsonErrorPosition } from '../contracts/invalid-request';
import { isMesRejectionError } from '../client/rejection-error';
import type { MesClient } from '../client/mes-client';
import type { PatientSpaceClient } from '../client/patient-space-client';
import type { AccountEventRequest } from '../contracts/account-events';

/** Maximum line length, in characters: a document of 1 MiB in base64 plus its fields fits well below it. */
export const MAX_LINE_LENGTH = 2 * 1024 * 1024;

/** Lines in flight at once; lines of the same INS also wait for the previous one. */
export const DEFAULT_CONCURRENCY = 16;

/** The outcome of one input line, printed by `mes submit --json`. */
export interface LineOutcome {
  line: number;
  type: string | null;
  id?: string;
  outcome: 'delivered' | 'stored' | 'applied' | 'consulted' | 'read' | 'replied' | 'ended' | 'rejected' | 'invalid';
  errorCode?: string;
  message?: string;
  notification?: DeliveryAccepted['notification'];
  /** New account status, for account events. */
  status?: string;
  /** For a consultation: whether it is this professional's first access to the DMP. */
  firstAccess?: boolean;
  /** For a consultation: the ids of the documents this professional may see, oldest first. */
  documents?: string[];
  /** For a reading: the message's subject or the document's title, which the holder reads. */
  subject?: string;
}

function typeOf(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string'
    ? (raw as { type: string }).type
    : null;
}

function idOf(raw: unknown): string | undefined {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** Builds the outcome of an invalid line, with the type and id when the line has them. */
function invalidLine(lineNumber: number, message: string, raw?: unknown): LineOutcome {
  const id = idOf(raw);
  return {
    line: lineNumber,
    type: typeOf(raw),
    ...(id === undefined ? {} : { id }),
    outcome: 'invalid',
    errorCode: INVALID_REQUEST,
    message,
  };
}

/** Parses and validates one line; an invalid line becomes its outcome. */
export function parseLine(lineNumber: number, text: string): { line: BatchLine } | { invalid: LineOutcome } {
  if (text.trim() === '') {
    return { invalid: invalidLine(lineNumber, 'Requête invalide : ligne vide.') };
  }
  if (text.length > MAX_LINE_LENGTH) {
    return {
      invalid: invalidLine(lineNumber, `Requête invalide : ligne trop longue (${text.length} caractères, maximum ${MAX_LINE_LENGTH}).`),
    };
  }

  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      invalid: invalidLine(
        lineNumber,
        `Requête invalide : la ligne n'est pas un objet JSON valide${jsonErrorPosition(error)} ; vérifiez les guillemets, les virgules et les accolades.`,
      ),
    };
  }

  const parsed = batchLineSchema.safeParse(raw);
  if (!parsed.success) {
    return { invalid: invalidLine(lineNumber, formatFieldProblems(describeZodError(parsed.error)), raw) };
  }
  return { line: parsed.data };
}

/** The clients a batch runs with: Temporal for actions, and the database for the holder's readings. */
export interface BatchClients {
  mes: MesClient;
  /** Absent when no database is reachable; reading lines are then rejected with a clear message. */
  patientSpace: PatientSpaceClient | null;
}

/** Submits one valid line through the typed clients and returns its outcome; rejections are outcomes too. */
export async function submitLine(clients: BatchClients, lineNumber: number, line: BatchLine): Promise<LineOutcome> {
  const client = clients.mes;
  let id: string | undefined;
  if (line.type === 'patient.message-read') {
    id = line.messageId;
  } else if (line.type === 'patient.document-read') {
    id = line.documentId;
  } else if ('id' in line && line.id !== undefined) {
    id = line.id;
  } else if (line.type.startsWith('account.')) {
    id = client.accountEventIdOf(line as AccountEventRequest);
  }
  const base = { line: lineNumber, type: line.type, ...(id === undefined ? {} : { id }) };
  try {
    switch (line.type) {
      case 'message': {
        const accepted = await client.sendMessage(line);
        return { ...base, outcome: accepted.outcome, notification: accepted.notification };
      }
      case 'document': {
        const accepted = await client.feedDocument(line);
        return { ...base, outcome: accepted.outcome, notification: accepted.notification };
      }
      case 'consultation': {
        const consulted = await client.consultDmp(line);
        return {
          ...base,
          outcome: 'consulted',
          notification: consulted.notification,
          firstAccess: consulted.firstAccess,
          documents: consulted.documents.map((document) => document.id),
        };
      }
      case 'patient.message-read': {
        const message = await requirePatientSpace(clients).readMessage(line);
        return { ...base, outcome: 'read', subject: message.subject };
      }
      case 'patient.document-read': {
        const document = await requirePatientSpace(clients).readDocument(line);
        return { ...base, outcome: 'read', subject: document.title };
      }
      case 'patient.reply':
        await client.replyToMessage(line);
        return { ...base, outcome: 'replied' };
      case 'conversation.ended':
        await client.endConversation(line);
        return { ...base, outcome: 'ended' };
      default: {
        const applied = await client.applyAccountEvent(line);
        return { ...base, outcome: 'applied', status: applied.status };
      }
    }
  } catch (error) {
    if (!isMesRejectionError(error)) {
      throw error;
    }
    const rejected: LineOutcome = { ...base, outcome: error.code === INVALID_REQUEST ? 'invalid' : 'rejected' };
    rejected.errorCode = error.code;
    rejected.message = error.message;
    if (line.type === 'message' || line.type === 'document' || line.type === 'consultation') {
      rejected.notification = 'none';
    }
    return rejected;
  }
}

function requirePatientSpace(clients: BatchClients): PatientSpaceClient {
  if (!clients.patientSpace) {
    throw new Error('Reading lines need the database: run them with mes dev running, or set DATABASE_URL');
  }
  return clients.patientSpace;
}

/** A small counting semaphore that bounds the lines in flight. */
class Slots {
  private waiting: Array<() => void> = [];
  private free: number;

  constructor(count: number) {
    this.free = count;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next();
    } else {
      this.free += 1;
    }
  }
}

/** Lines started ahead of the oldest one not yet emitted, as a multiple of the concurrency. */
const EMISSION_WINDOW_FACTOR = 4;

/**
 * Runs the lines of a batch: lines of the same INS in file order, others concurrently up to `concurrency`.
 * Outcomes are emitted in line order as soon as every earlier line is done, so memory stays bounded by the
 * lines in flight, not by the file.
 */
export async function runBatch(
  clients: BatchClients,
  lines: AsyncIterable<string>,
  emit: (outcome: LineOutcome) => void,
  concurrency = DEFAULT_CONCURRENCY,
): Promise<void> {
  const slots = new Slots(concurrency);
  // Lines done but waiting for an earlier one to be emitted are bounded too, so that one slow line cannot make
  // the buffer grow with the file.
  const window = new Slots(concurrency * EMISSION_WINDOW_FACTOR);
  const tails = new Map<string, Promise<void>>();
  const finished = new Map<number, LineOutcome>();
  let nextToEmit = 1;
  let failure: unknown = null;
  const inFlight = new Set<Promise<void>>();

  const complete = (outcome: LineOutcome) => {
    finished.set(outcome.line, outcome);
    while (finished.has(nextToEmit)) {
      const ready = finished.get(nextToEmit)!;
      finished.delete(nextToEmit);
      window.release();
      emit(ready);
      nextToEmit += 1;
    }
  };

  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber += 1;
    if (failure) {
      break;
    }
    const current = lineNumber;
    await window.acquire();
    const parsed = parseLine(current, text);
    if ('invalid' in parsed) {
      complete(parsed.invalid);
      continue;
    }

    await slots.acquire();
    const ins = parsed.line.ins;
    const previous = tails.get(ins) ?? Promise.resolve();
    const task: Promise<void> = previous
      .then(() => submitLine(clients, current, parsed.line))
      .then(complete)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => {
        slots.release();
        inFlight.delete(task);
        if (tails.get(ins) === task) {
          tails.delete(ins);
        }
      });
    tails.set(ins, task);
    inFlight.add(task);
  }

  await Promise.all(inFlight);
  if (failure) {
    throw failure;
  }
}
