/**
 * What a signed document's keywords cite: one value per prefix, read one way only.
 */
import { describe, expect, it } from 'vitest';
import { TERMS_COLUMNS } from '../../electron/documents/decision-terms';
import { DECISION_COLUMNS } from '../../electron/exchange/content';
import { citedDossier, DOSSIER_KEYWORD, keywordValue } from '../../shared/dossier';

const HASH = 'ab'.repeat(32);

describe('keywords a signed document cites', () => {
  it('the one value after a prefix; none, an empty one or two give none', () => {
    expect(keywordValue('decision:DEC-1 other', 'decision:')).toBe('DEC-1');
    expect(keywordValue('  x\tdecision:DEC-1\n', 'decision:')).toBe('DEC-1');
    expect(keywordValue('other words', 'decision:')).toBeNull();
    expect(keywordValue(null, 'decision:')).toBeNull();
    expect(keywordValue(undefined, 'decision:')).toBeNull();
    expect(keywordValue('decision:', 'decision:')).toBeNull();
    // Two values are two readings of one letter: neither is taken.
    expect(keywordValue('decision:DEC-1 decision:DEC-2', 'decision:')).toBeNull();
    expect(keywordValue('decision: decision:DEC-2', 'decision:')).toBeNull();
    // A word must begin with the prefix.
    expect(keywordValue('xdecision:DEC-1', 'decision:')).toBeNull();
  });

  it('the dossier a document cites is a SHA-256 in hex, cited once', () => {
    expect(citedDossier(`${DOSSIER_KEYWORD}${HASH}`)).toBe(HASH);
    expect(citedDossier(`a ${DOSSIER_KEYWORD}${HASH} b`)).toBe(HASH);
    expect(citedDossier(`${DOSSIER_KEYWORD}${HASH.toUpperCase()}`)).toBeNull();
    expect(citedDossier(`${DOSSIER_KEYWORD}${HASH}0`)).toBeNull();
    expect(citedDossier(`${DOSSIER_KEYWORD}${HASH.slice(1)}`)).toBeNull();
    expect(
      citedDossier(`${DOSSIER_KEYWORD}${HASH} ${DOSSIER_KEYWORD}${'cd'.repeat(32)}`),
    ).toBeNull();
    expect(citedDossier('')).toBeNull();
  });

  it('a letter binds every column of its decision record but its id and who signed when', () => {
    expect([...TERMS_COLUMNS].sort()).toEqual(
      DECISION_COLUMNS.filter(
        (c) => !['id', 'signer_subject', 'signer_fingerprint', 'signed_at'].includes(c),
      ).sort(),
    );
    expect(TERMS_COLUMNS).toContain('conditions');
    expect(TERMS_COLUMNS).not.toContain('id');
  });
});
