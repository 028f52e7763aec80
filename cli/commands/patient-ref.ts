import { loadPseudonymKey } from '../../config/pseudonym-key';
import type { Settings } from '../../config/settings';
import { describeInsProblem, findInsProblem } from '../../domain/ins';
import { patientRefOf } from '../../domain/patient-ref';

/**
 * Runs `mes patient-ref INS`: prints the patient's pseudonymous reference, the value of the `MesPatientRef`
 * search attribute, so that an operator can list every run of one patient in the Temporal Web UI. Returns 2 for
 * an invalid INS.
 */
export function patientRefCommand(settings: Settings, ins: string): number {
  const problem = findInsProblem(ins);
  if (problem) {
    process.stderr.write(`mes patient-ref: ${describeInsProblem(problem)}\n`);
    return 2;
  }
  process.stdout.write(`${patientRefOf(ins, loadPseudonymKey(settings))}\n`);
  return 0;
}
