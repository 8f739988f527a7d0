import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRef, REF_PREFIX, suggestPrefix } from '../../shared/references';

describe('references', () => {
  it.each([
    ['Center for Cyber Security', 'CFCS'],
    ['Forsvarets Efterretningstjeneste', 'FE'],
    ['Ærø Kommune', 'AK'],
    ['Østjysk Øvelsesenhed', 'OO'],
    ['Acme', 'ACME'],
    ['3 Division', 'AWB'],
    ['', 'AWB'],
  ])('the prefix suggested for %j is %s', (organisation, prefix) => {
    expect(suggestPrefix(organisation)).toBe(prefix);
  });

  it('a suggested prefix is always a valid one', () => {
    fc.assert(fc.property(fc.string(), (s) => REF_PREFIX.test(suggestPrefix(s))));
  });

  it('numbers continue from the highest in use under the same stem', () => {
    expect(nextRef('CFCS', 'DEC', 2026, [])).toBe('CFCS-DEC-2026-0001');
    expect(
      nextRef('CFCS', 'DEC', 2026, ['CFCS-DEC-2026-0007', 'CFCS-DEC-2026-0002', 'DEC-2026-0099']),
    ).toBe('CFCS-DEC-2026-0008');
    // Another vault's references, and last year's, do not count.
    expect(nextRef('ACME', 'CASE', 2026, ['CFCS-CASE-2026-0005', 'ACME-CASE-2025-0003'])).toBe(
      'ACME-CASE-2026-0001',
    );
    expect(nextRef('ACME', 'RISK', null, ['ACME-RISK-0009', 'ACME-RISK-x'])).toBe('ACME-RISK-0010');
    // A vault made before prefixes numbers as it did.
    expect(nextRef(null, 'CASE', 2026, ['CASE-2026-0003'])).toBe('CASE-2026-0004');
  });

  it('the next reference is never one in use (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9999 })), (numbers) => {
        const existing = numbers.map((n) => `X1-RISK-${String(n).padStart(4, '0')}`);
        expect(existing).not.toContain(nextRef('X1', 'RISK', null, existing));
      }),
    );
  });
});
