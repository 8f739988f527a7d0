import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
import { PACKAGE_REASONS } from '../../shared/exchange';
import {
  errorMessage,
  formatDay,
  messageKeys,
  previewLine,
  reasonMessage,
  reasonText,
  riskNoteText,
  signatureFieldText,
  systemReason,
  translate,
} from '../../shared/i18n';
import { pdfSafe, versionLabel } from '../../shared/documents';
import { da } from '../../shared/i18n/da';
import { en } from '../../shared/i18n/en';

describe('translations', () => {
  it('Danish and English have the same keys and no empty text', () => {
    expect(Object.keys(da).sort()).toEqual(Object.keys(en).sort());
    for (const key of messageKeys()) {
      expect(translate('da', key).trim(), key).not.toBe('');
      expect(translate('en', key).trim(), key).not.toBe('');
    }
  });

  it('every error code has a message in both languages, and they differ', () => {
    for (const code of ERROR_CODES) {
      expect(errorMessage('en', code)).not.toBe(errorMessage('da', code));
    }
  });

  it('every reason a package is refused for reads differently, in both languages', () => {
    for (const language of ['da', 'en'] as const) {
      const texts = PACKAGE_REASONS.map((r) => translate(language, `package.reason.${r}`));
      expect(new Set(texts).size, language).toBe(PACKAGE_REASONS.length);
    }
    // No text for a reason the reader no longer gives.
    const known = new Set(PACKAGE_REASONS.map((r) => `package.reason.${r}`));
    expect(Object.keys(en).filter((k) => k.startsWith('package.reason.') && !known.has(k))).toEqual(
      [],
    );
  });

  it('navigation labels are actually translated', () => {
    expect(translate('da', 'nav.systems')).toBe('Systemer');
    expect(translate('en', 'nav.systems')).toBe('Systems');
  });

  it('a day reads as each language writes it; anything else passes through', () => {
    expect(formatDay('da', '2026-12-01')).toBe('1.12.2026');
    expect(formatDay('en', '2026-12-01')).toBe('1 Dec 2026');
    expect(formatDay('da', '2027-01-31')).toBe('31.1.2027');
    expect(formatDay('da', null)).toBe('—');
    expect(formatDay('en', undefined, '-')).toBe('-');
    expect(formatDay('da', 'NS-2026-12')).toBe('NS-2026-12');
    // Days given to a message are written the message's way; other values are left alone.
    expect(
      translate('da', 'risk.acceptedBy', { by: 'Anne', on: '2026-03-09', until: '2027-03-09' }),
    ).toContain('9.3.2026');
    expect(translate('en', 'step.superseded', { value: 'CASE-7' })).toBe('Superseded by CASE-7');
    // So is a number: 10.000 in Danish, 10,000 in English.
    expect(translate('da', 'list.showMore', { n: 200, shown: 200, total: 10000 })).toBe(
      'Vis 200 flere (200 af 10.000 vist)',
    );
    expect(translate('en', 'list.showMore', { n: 5, shown: 400, total: 1405 })).toBe(
      'Show 5 more (400 of 1,405 shown)',
    );
  });

  it('a step the workbench took by itself is coded, and read in words; a person’s reason as is', () => {
    const coded = systemReason('expired', '2027-06-02');
    expect(reasonText('da', coded)).toBe('Gyldigheden udløb 2.6.2027');
    expect(reasonText('en', coded)).toBe('Validity ended 2 Jun 2027');
    expect(reasonText('en', systemReason('due', '2027-06-02'))).toBe(
      'Validity ends 2 Jun 2027: re-accreditation due',
    );
    expect(reasonText('da', systemReason('superseded', 'CASE-2'))).toBe('Afløst af CASE-2');
    expect(reasonText('da', 'Meddelt ejeren')).toBe('Meddelt ejeren');
    expect(reasonText('da', 'step.unknown|x')).toBe('step.unknown|x');
    expect(reasonText('da', null)).toBe('');
  });

  it('leaves a placeholder no value was given for, rather than writing "undefined"', () => {
    expect(translate('en', 'step.superseded', { other: 'x' })).toBe('Superseded by {value}');
  });

  it('a word after a number agrees with it: one, or more (never "1 punkter")', () => {
    expect(reasonMessage('da', 'TRANSITION_REFUSED', { reason: 'INCOMPLETE', missing: 1 })).toBe(
      'Dossieret er ufuldstændigt: der mangler 1 punkt.',
    );
    expect(reasonMessage('da', 'TRANSITION_REFUSED', { reason: 'INCOMPLETE', missing: 2 })).toBe(
      'Dossieret er ufuldstændigt: der mangler 2 punkter.',
    );
    expect(translate('en', 'risk.count', { n: 1 })).toBe('1 risk');
    expect(translate('en', 'risk.count', { n: 0 })).toBe('0 risks');
    expect(translate('da', 'trust.added', { count: 1 })).toBe('1 certifikat er nu betroet.');
    // Without its number the choice is left as written, like any placeholder without a value.
    expect(translate('en', 'risk.count', { other: 1 })).toBe('{n} {n:risk|risks}');
    // No text in either language keeps a "(s)" or "(er)" plural for the reader to work out.
    for (const key of messageKeys()) {
      expect(translate('da', key), key).not.toMatch(/\w\((er|e|r)\)/);
      expect(translate('en', key), key).not.toMatch(/\w\((s|es)\)/);
    }
  });

  it('the workbench’s own risk notes and signature fields in words; a person’s note as is', () => {
    expect(riskNoteText('da', 'created')).toBe('Vurderet ved oprettelsen');
    expect(riskNoteText('en', 'reviewed')).toBe('Reassessed');
    expect(riskNoteText('da', 'matrix m1 → m2')).toBe('Flyttet til risikokriterierne m2 (fra m1)');
    expect(riskNoteText('da', 'matrix of my own making')).toBe('matrix of my own making');
    expect(riskNoteText('en', 'Reviewed after the incident')).toBe('Reviewed after the incident');
    expect(signatureFieldText('da', 'Signature1')).toBe('Første underskrift');
    expect(signatureFieldText('en', 'Signature2')).toBe('Countersignature');
    expect(signatureFieldText('da', 'Signature3')).toBe('Signature3');
    expect(versionLabel('3')).toBe('v3');
    expect(versionLabel('825d312a3928')).toBe('v825d312a3928');
    expect(versionLabel('UDKAST')).toBe('UDKAST');
  });

  it('an error reason in words, its other details in the text; no text for what it does not know', () => {
    expect(
      reasonMessage('en', 'TRANSITION_REFUSED', { reason: 'INCOMPLETE', missing: 3, note: {} }),
    ).toBe('The dossier is incomplete: 3 items are missing.');
    expect(reasonMessage('da', 'TRANSITION_REFUSED', { reason: 'INCOMPLETE', missing: '2' })).toBe(
      'Dossieret er ufuldstændigt: der mangler 2 punkter.',
    );
    expect(reasonMessage('en', 'TRANSITION_REFUSED', { reason: 'NO_SUCH_REASON' })).toBeNull();
    expect(reasonMessage('en', 'TRANSITION_REFUSED', { reason: 7 })).toBeNull();
    expect(reasonMessage('en', 'TRANSITION_REFUSED', undefined)).toBeNull();
    expect(reasonMessage('en', 'NOT_FOUND', { reason: 'INCOMPLETE' })).toBeNull();
    expect(reasonMessage('en', 'PACKAGE_REJECTED', { reason: 'MALFORMED' })).toBe(
      'its content is malformed',
    );
  });

  it("a package preview's changes as sentences, states and decision types in words", () => {
    expect(previewLine('en', { what: 'system', ref: 'SYS-1', added: true })).toBe(
      'system SYS-1: added',
    );
    expect(previewLine('en', { what: 'system', ref: 'SYS-1', added: false })).toBe(
      'system SYS-1: kept',
    );
    expect(
      previewLine('en', { what: 'case', ref: 'C-1', added: true, states: ['submitted', 'intake'] }),
    ).toBe('case C-1: added as "Submitted"');
    expect(
      previewLine('da', {
        what: 'case',
        ref: 'C-1',
        added: false,
        states: ['under_review', 'decided', 'unknown_state'],
      }),
    ).toBe('sag C-1: Under vurdering → Afgjort → unknown_state');
    expect(previewLine('en', { what: 'decision', ref: 'D-1', type: 'suspension' })).toBe(
      'decision D-1 (Suspension)',
    );
    expect(previewLine('en', { what: 'decision', ref: 'D-1', type: 'novel' })).toBe(
      'decision D-1 (novel)',
    );
    expect(previewLine('da', { what: 'answers', n: 1200 })).toBe(
      translate('da', 'preview.answers', { n: 1200 }),
    );
    expect(previewLine('en', { what: 'answers', n: 1200 })).toBe('1,200 checklist answers');
  });
});

describe('text for the built-in fonts (pdfSafe)', () => {
  it('puts no control code on a page: a tab is a space, a carriage return a line break', () => {
    expect(pdfSafe('a\tb\r\nc\rd\ne')).toBe('a b\nc\nd\ne');
    expect(pdfSafe('x\u0000y\u001fz\u007f')).toBe('x?y?z?');
    expect(pdfSafe('Łódź → €')).toBe('?ód? -> ?');
  });
});
