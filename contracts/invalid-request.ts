import type { z } from 'zod';

/** Error code of a request that fails validation; it never reaches a patient's account. */
export const INVALID_REQUEST = 'INVALID_REQUEST';

/** One rejected field, named by its JSON path (for example `sender.rpps`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Turns zod issues into field problems with French messages that name the field. */
export function describeZodError(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(objet)';
    if (issue.code === 'unrecognized_keys') {
      return { field: issue.keys.join(', '), message: `champ(s) non prévu(s) : ${issue.keys.join(', ')} ; retirez-les` };
    }
    return { field, message: issue.message };
  });
}

/** Joins field problems into one French sentence, the `message` shown to a professional. */
export function formatFieldProblems(problems: FieldProblem[]): string {
  const parts = problems.map((problem) => `champ « ${problem.field} » : ${problem.message}`);
  return `Requête invalide : ${parts.join(' ; ')}.`;
}

/** Extracts the character position from a JSON.parse error, whose wording depends on the Node.js version. */
export function jsonErrorPosition(error: unknown): string {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  return match ? ` (caractère ${Number(match[1]) + 1})` : '';
}
