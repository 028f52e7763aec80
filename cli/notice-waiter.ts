import type { MesClient } from '../client/mes-client';
import type { LineOutcome } from './batch-runner';

/** Notices waited for at once: enough to keep up with a batch's deliveries without holding a result per line. */
const WAITING_LANES = 16;

/** Tells whether an outcome's workflow may still be notifying the patient. */
export function isAwaitingNotice(outcome: LineOutcome): boolean {
  return ['delivered', 'stored', 'consulted', 'applied'].includes(outcome.outcome);
}

/**
 * Waits, while a batch runs, until each accepted line's workflow has settled its notice, so that a command that
 * runs its own worker does not stop it with emails still to send. It keeps only the lines not yet settled, so
 * its memory follows the backlog of notices, not the size of the file.
 */
export class NoticeWaiter {
  private readonly queue: Array<Pick<LineOutcome, 'type' | 'id'>> = [];
  private readonly lanes = new Set<Promise<void>>();
  private failure: unknown = null;
  tracked = 0;

  constructor(private readonly client: MesClient) {}

  /** Starts waiting for the line's notice if the line was accepted. */
  track(outcome: LineOutcome): void {
    if (!isAwaitingNotice(outcome)) {
      return;
    }
    this.tracked += 1;
    this.queue.push({ type: outcome.type, id: outcome.id });
    if (this.lanes.size < WAITING_LANES) {
      const lane: Promise<void> = this.runLane().finally(() => this.lanes.delete(lane));
      this.lanes.add(lane);
    }
  }

  /** Resolves once every tracked notice is settled; throws the first failure to read one. */
  async settled(): Promise<void> {
    while (this.lanes.size > 0) {
      await Promise.all(this.lanes);
    }
    if (this.failure) {
      throw this.failure;
    }
  }

  private async runLane(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        await this.waitFor(next);
      } catch (error) {
        this.failure ??= error;
      }
    }
  }

  private async waitFor(outcome: Pick<LineOutcome, 'type' | 'id'>): Promise<void> {
    if (outcome.type === 'message') {
      await this.client.messageResult(outcome.id!);
    } else if (outcome.type === 'document') {
      await this.client.documentResult(outcome.id!);
    } else if (outcome.type === 'consultation') {
      await this.client.consultationResult(outcome.id!);
    } else if (outcome.type?.startsWith('account.')) {
      await this.client.accountEventSettled(outcome.id!);
    }
  }
}
