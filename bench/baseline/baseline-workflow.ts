// The benchmark's baseline: the least work a delivery can be, one workflow with one activity that does nothing.
// It measures what a Temporal worker and server do on this machine, for comparison with real deliveries.
import { proxyActivities } from '@temporalio/workflow';
import type { BaselineActivities } from './baseline-activities';

const { baselineNoop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '10 seconds' });

/** Runs the no-op activity once with the item's input and returns it, so that payloads travel as in a delivery. */
export async function baselineDelivery(input: { id: string }): Promise<{ id: string }> {
  return baselineNoop(input);
}
