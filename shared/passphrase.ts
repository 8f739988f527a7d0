/**
 * Passphrase strength: one rule for the UI's feedback and the core's enforcement. zxcvbn-ts
 * estimates guessability (dictionaries, keyboard patterns, repeats, dates); on top we ask for
 * a minimum length, so a vault passphrase is a phrase, not a password.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

export const MIN_PASSPHRASE_LENGTH = 12;
export const MIN_SCORE = 3;

export type StrengthIssue = 'tooShort' | 'guessable' | 'repeats' | 'common';

export interface Strength {
  /** 0 (trivial) … 4 (very strong). */
  score: 0 | 1 | 2 | 3 | 4;
  acceptable: boolean;
  issues: StrengthIssue[];
}

let estimator: ZxcvbnFactory | null = null;

function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary },
    graphs: common.adjacencyGraphs,
  });
  return estimator;
}

export function passphraseStrength(passphrase: string, context: string[] = []): Strength {
  const text = passphrase.slice(0, 256);
  const result = zxcvbn().check(text, context);
  const issues: StrengthIssue[] = [];
  if ([...text].length < MIN_PASSPHRASE_LENGTH) {
    issues.push('tooShort');
  }
  const patterns = new Set(result.sequence.map((m) => m.pattern));
  if (result.score < MIN_SCORE) {
    issues.push(
      patterns.has('repeat') ? 'repeats' : patterns.has('dictionary') ? 'common' : 'guessable',
    );
  }
  return {
    score: result.score,
    acceptable: issues.length === 0,
    issues,
  };
}
