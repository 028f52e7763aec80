import { randomInt } from 'node:crypto';
import { computeNirKey } from '../../domain/ins';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/**
 * Generates a synthetic INS with a correct key. The parts follow the NIR format and are random, so the number
 * is not knowingly anyone's. Pass a department to force Corsica (`2A`, `2B`).
 */
export function generateIns(options: { department?: string } = {}): string {
  const sex = randomInt(1, 3);
  const year = randomInt(0, 100);
  const month = randomInt(1, 13);
  const department = options.department ?? pad(randomInt(1, 96), 2);
  const commune = randomInt(1, 990);
  const order = randomInt(1, 1000);
  const first13 = `${sex}${pad(year, 2)}${pad(month, 2)}${department}${pad(commune, 3)}${pad(order, 3)}`;
  return first13 + computeNirKey(first13);
}

/** Returns the INS with a key that is valid for no number: the right key plus one. */
export function withWrongKey(ins: string): string {
  const key = Number(ins.slice(13));
  return ins.slice(0, 13) + pad(key === 97 ? 1 : key + 1, 2);
}

/** Generates an 11-digit RPPS number (prefix 10, 8 random digits, Luhn check digit). */
export function generateRpps(): string {
  const body = `10${pad(randomInt(0, 100_000_000), 8)}`;
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) {
    // Luhn: from the right of the full number, every second digit (here starting at the body's last) is doubled.
    let digit = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) {
        digit -= 9;
      }
    }
    sum += digit;
  }
  return body + String((10 - (sum % 10)) % 10);
}
