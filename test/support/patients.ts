import type { MesClient } from '../../client/mes-client';
import { generateIns } from './identities';

/** Creates and activates an account for a new synthetic patient; returns its INS and personal email. */
export async function activatedPatient(client: MesClient): Promise<{ ins: string; email: string }> {
  const ins = generateIns();
  const email = `perso-${ins}@example.org`;
  await client.applyAccountEvent({ type: 'account.created', ins, amEmail: null });
  await client.applyAccountEvent({ type: 'account.activated', ins, personalEmail: email });
  return { ins, email };
}
