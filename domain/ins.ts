/**
 * The INS (Identifiant National de Santé) in its NIR form: 13 characters, then a 2-digit key.
 *
 * Rules from the NIR format published by INSEE and the INS referential (Agence du numérique en santé):
 * key = 97 - (number mod 97), where the Corsican departments 2A and 2B are read as 19 and 18.
 */

/** OIDs that qualify an INS: a definitive NIR, a temporary NIA, or a test NIR. */
export const INS_OIDS = {
  nir: '1.2.250.1.213.1.4.8',
  nia: '1.2.250.1.213.1.4.9',
  testNir: '1.2.250.1.213.1.4.10',
} as const;

/** One of the OIDs in `INS_OIDS`. */
export type InsOid = (typeof INS_OIDS)[keyof typeof INS_OIDS];

/**
 * Shape of the 15 characters: sex or NIA digit, birth year, birth month (01-12, or 20-99 when unknown
 * or for a temporary number), department (digits, 2A or 2B), commune, order number and key.
 */
const NIR_SHAPE = /^[1-478][0-9]{2}(0[1-9]|1[0-2]|[2-9][0-9])(2A|2B|[0-9]{2})[0-9]{6}[0-9]{2}$/;

/** Reason an INS string was rejected, with the expected key when only the key was wrong. */
export type InsProblem =
  | { kind: 'length'; length: number }
  | { kind: 'shape' }
  | { kind: 'key'; expected: string; actual: string };

/** Computes the 2-digit key of the first 13 characters of a NIR. */
export function computeNirKey(first13: string): string {
  const numeric = first13.replace('2A', '19').replace('2B', '18');
  const remainder = Number(BigInt(numeric) % 97n);
  return String(97 - remainder).padStart(2, '0');
}

/** Checks an INS string and returns what is wrong with it, or `null` when it is valid. */
export function findInsProblem(ins: string): InsProblem | null {
  if (ins.length !== 15) {
    return { kind: 'length', length: ins.length };
  }
  if (!NIR_SHAPE.test(ins)) {
    return { kind: 'shape' };
  }

  const expected = computeNirKey(ins.slice(0, 13));
  const actual = ins.slice(13);
  if (expected !== actual) {
    return { kind: 'key', expected, actual };
  }
  return null;
}

/** Describes an INS problem in French, for the professional whose software sent it. */
export function describeInsProblem(problem: InsProblem): string {
  switch (problem.kind) {
    case 'length':
      return `l'INS doit compter 15 caractères (13 pour le NIR et 2 pour la clé), il en compte ${problem.length}`;
    case 'shape':
      return "l'INS n'a pas le format d'un NIR (sexe, année, mois, département dont 2A ou 2B, commune, ordre, clé)";
    case 'key':
      return `la clé de l'INS est ${problem.actual} alors que le NIR donne ${problem.expected} : vérifiez le numéro saisi`;
  }
}
