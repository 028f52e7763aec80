import { describe, expect, it } from 'vitest';
import { computeNirKey, findInsProblem } from '../domain/ins';
import { generateIns, withWrongKey } from './support/identities';

describe('INS key', () => {
  it('is 97 minus the number modulo 97', () => {
    // 1 84 12 76 451 089: 1841276451089 mod 97 = 51, so the key is 46.
    expect(Number(1841276451089n % 97n)).toBe(51);
    expect(computeNirKey('1841276451089')).toBe('46');
  });

  it('reads department 2A as 19 and 2B as 18', () => {
    expect(computeNirKey('184012A451089')).toBe(computeNirKey('1840119451089'));
    expect(computeNirKey('184012B451089')).toBe(computeNirKey('1840118451089'));
    expect(computeNirKey('184012A451089')).not.toBe(computeNirKey('184012B451089'));
  });

  it('is padded to two digits', () => {
    // Find a number whose key is below 10 by walking the order number.
    for (let order = 1; order < 1000; order += 1) {
      const first13 = `1840176451${String(order).padStart(3, '0')}`;
      const key = computeNirKey(first13);
      if (Number(key) < 10) {
        expect(key).toHaveLength(2);
        expect(findInsProblem(first13 + key)).toBeNull();
        return;
      }
    }
    throw new Error('no key below 10 found');
  });
});

describe('findInsProblem', () => {
  it('accepts generated identities, Corsican ones included', () => {
    for (const department of [undefined, '2A', '2B']) {
      const ins = generateIns({ department });
      expect(findInsProblem(ins)).toBeNull();
    }
  });

  it('reports a wrong key with the expected one', () => {
    const ins = generateIns();
    expect(findInsProblem(withWrongKey(ins))).toEqual({ kind: 'key', expected: ins.slice(13), actual: withWrongKey(ins).slice(13) });
  });

  it('reports the 2A key computed as 2B', () => {
    const ins = generateIns({ department: '2A' });
    const asCorsicaSouth = ins.slice(0, 13).replace('2A', '2B') + ins.slice(13);
    expect(findInsProblem(asCorsicaSouth)?.kind).toBe('key');
  });

  it.each([
    ['too short', '18412764510', 'length'],
    ['too long', '1841276451089460', 'length'],
    ['letters', '18412764510AB46', 'shape'],
    ['lowercase 2a', '1841202a4510846', 'shape'],
    ['month 00', '184007645108901', 'shape'],
    ['sex digit 5', '584127645108946', 'shape'],
  ])('rejects %s', (_case, ins, kind) => {
    expect(findInsProblem(ins)?.kind).toBe(kind);
  });
});
