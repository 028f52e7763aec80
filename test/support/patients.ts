import type { MesClient } from '../../client/mes-client';
import type { AccountEventRequest } from '../../contracts/account-events';
import type { DeliveryRejectionCode } from '../../domain/rejections';
import { generateIns } from './identities';

/** Creates and activates an account for a new synthetic patient; returns its INS and personal email. */
export async function activatedPatient(client: MesClient): Promise<{ ins: string; email: string }> {
  const ins = generateIns();
  const email = `perso-${ins}@example.org`;
  await client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
  await client.applyAccountEvent({ type: 'account.activated', ins, personalEmail: email });
  return { ins, email };
}

/** An account event without its INS, distributed over the union of event types. */
type EventWithoutIns = AccountEventRequest extends infer Event ? (Event extends unknown ? Omit<Event, 'ins'> : never) : never;

/** Statuses a test patient can be brought to; `created-am` has an Assurance Maladie address, `created-none` none. */
export type TestPatientStatus = 'activated' | 'created-am' | 'created-none' | 'opposed' | 'closed' | 'opening' | 'unknown';

/** The rejected cells of the reference table: account status, kind of item, and the code of its rejection. */
export const REJECTED_DELIVERIES = [
  ['opposed', 'message', 'PATIENT_OPPOSED'],
  ['opposed', 'document', 'DMP_CLOSED'],
  ['closed', 'message', 'ACCOUNT_CLOSED'],
  ['closed', 'document', 'DMP_CLOSED'],
  ['opening', 'message', 'ACCOUNT_NOT_OPEN'],
  ['opening', 'document', 'ACCOUNT_NOT_OPEN'],
  ['unknown', 'message', 'PATIENT_UNKNOWN'],
  ['unknown', 'document', 'PATIENT_UNKNOWN'],
] as const satisfies ReadonlyArray<readonly [TestPatientStatus, 'message' | 'document', DeliveryRejectionCode]>;

/** Returns the account events that bring a new patient with this INS to a status, in order. */
export function accountEventsToReach(status: TestPatientStatus, ins: string): AccountEventRequest[] {
  const events: Record<TestPatientStatus, EventWithoutIns[]> = {
    activated: [
      { type: 'account.created', amEmail: `am-${ins}@example.org` },
      { type: 'account.activated', personalEmail: `perso-${ins}@example.org` },
    ],
    'created-am': [{ type: 'account.created', amEmail: `am-${ins}@example.org` }],
    'created-none': [{ type: 'account.created', amEmail: null }],
    opposed: [{ type: 'account.opposed' }],
    closed: [
      { type: 'account.created', amEmail: `am-${ins}@example.org` },
      { type: 'account.closed', reason: 'holder-request' },
    ],
    opening: [{ type: 'account.opening', amEmail: `am-${ins}@example.org` }],
    unknown: [],
  };
  return events[status].map((event) => ({ ...event, ins }) as AccountEventRequest);
}

/** Brings a new synthetic patient to a status through real account events, and returns the INS. */
export async function patientIn(client: MesClient, status: TestPatientStatus): Promise<string> {
  const ins = generateIns();
  for (const event of accountEventsToReach(status, ins)) {
    await client.applyAccountEvent(event);
  }
  return ins;
}
