/**
 * What a decision letter's document information may say of itself, row by row, and whether one
 * accreditor's signature is enough on its own by it: read by the Exchange screen over real signed
 * PDFs (test/integration/verify-document.test.ts) and by the reading itself, row by row
 * (test/unit/letter-keywords.test.ts), so both hold the same table.
 */

/** Keywords as a decision letter of `type` on a system at `level` carries them. */
export const decided = (type: string, level: string | null, required: 1 | 2) => [
  'decision:NISD-DEC-2026-0007',
  `decision-type:${type}`,
  ...(level ? [`decision-level:${encodeURIComponent(level)}`] : []),
  `signatures-required:${required}`,
];

// Each: the keywords, and whether one certified accreditor's signature is valid on its own.
export const KEYWORD_ROWS: [string, string[], boolean][] = [
  [
    'an amendment of a SECRET system, declared as needing one',
    decided('amendment', 'SECRET', 1),
    false,
  ],
  [
    'a full approval of a TOP SECRET system, declared as needing one',
    decided('full_approval', 'TOP_SECRET', 1),
    false,
  ],
  ['a suspension declared as needing two', decided('suspension', 'RESTRICTED', 2), false],
  [
    'a suspension of a SECRET system (one signature is the rule)',
    decided('suspension', 'SECRET', 1),
    true,
  ],
  ['a full approval of a RESTRICTED system', decided('full_approval', 'RESTRICTED', 1), true],
  ['no keywords at all', [], true],
  // A letter from before these keywords: it declares nothing, and is judged as a document.
  ['a decision and its terms only', ['decision:X', 'decision-terms-sha256:ab'], true],
  ['a dossier report’s', ['dossier-sha256:ab'], true],
  // Read fail-closed (round 20k): keywords that speak of a decision's type, level or
  // signatures otherwise than the workbench writes them hold the letter to two.
  ['a level this scheme does not know', decided('full_approval', 'COSMIC', 1), false],
  [
    'a level whose encoding cannot be read',
    [
      'decision:X',
      'decision-type:full_approval',
      'decision-level:%E0%A4%A',
      'signatures-required:1',
    ],
    false,
  ],
  [
    'a type and level without a decision',
    ['decision-type:full_approval', 'decision-level:SECRET'],
    false,
  ],
  ['signatures declared alone', ['signatures-required:1'], false],
  ...(
    [
      ['the decision named twice', (k) => ['decision:Y', ...k]],
      ['its terms twice', (k) => [...k, 'decision-terms-sha256:a', 'decision-terms-sha256:b']],
      [
        'its terms twice, each a SHA-256',
        (k) => [
          ...k,
          `decision-terms-sha256:${'a'.repeat(64)}`,
          `decision-terms-sha256:${'b'.repeat(64)}`,
        ],
      ],
      ['the signatures twice', (k) => [...k, 'signatures-required:1']],
      ['the level twice', (k) => [...k, 'decision-level:RESTRICTED']],
      ['the type twice', (k) => [...k, 'decision-type:suspension']],
      [
        'an invisible space after the count',
        (k) => [...k.slice(0, -1), 'signatures-required:1\u200b'],
      ],
      ['a count of 01', (k) => [...k.slice(0, -1), 'signatures-required:01']],
      ['a count in words', (k) => [...k.slice(0, -1), 'signatures-required:one']],
      ['a level with a stray %', (k) => [k[0]!, k[1]!, 'decision-level:RESTRICTED%', k[3]!]],
      ['a level in lower case', (k) => [k[0]!, k[1]!, 'decision-level:restricted', k[3]!]],
      ['a type in capitals', (k) => [k[0]!, 'decision-type:FULL_APPROVAL', k[2]!, k[3]!]],
      ['a type the workbench has not', (k) => [k[0]!, 'decision-type:approval', k[2]!, k[3]!]],
      ['no count', (k) => k.slice(0, -1)],
      ['joined by semicolons', (k) => [k.join(';')]],
      ['joined by NEL (0x85)', (k) => [k.join('\u0085')]],
      ['joined by a zero-width space', (k) => [k.join('\u200b')]],
      ['joined by two spaces', (k) => [k.join('  ')]],
      ['joined by a tab', (k) => [k.join('\t')]],
      ['in capitals', (k) => k.map((w) => w.toUpperCase())],
      // Round 20l: a declaration spelled otherwise beside the right keywords.
      [
        'the level and count in capitals beside them',
        (k) => [...k, 'Decision-Level:SECRET', 'Signatures-Required:2'],
      ],
      [
        'underscores for hyphens beside them',
        (k) => [...k, 'decision_level:SECRET', 'signatures_required:2'],
      ],
      [
        'a prefix before them beside them',
        (k) => [...k, 'x-decision-level:SECRET', 'x-signatures-required:2'],
      ],
      ['= for : beside them', (k) => [...k, 'decision-level=SECRET', 'signatures-required=2']],
      ['a word of their own beside them', (k) => [...k, 'decision']],
      ['a Cyrillic е in each', (k) => k.map((w) => w.replace(/e/g, '\u0435'))],
      // In capitals a small l reads as an I: DEClSlON reads DECISION.
      ['a small l for each I in capitals beside them', (k) => [...k, 'DEClSlON-LEVEL:SECRET']],
      // Round 20m: letters that look like a dash or a blank for the hyphen.
      ...['\u1428', '\u30fc', '\u3164', '\u02cd', '\u3161'].map(
        (dash): [string, (k: string[]) => string[]] => [
          `U+${dash.codePointAt(0)!.toString(16).toUpperCase()} for each hyphen`,
          (k) => k.map((w) => w.replace(/-/g, dash)),
        ],
      ),
      ['no level', (k) => [k[0]!, k[1]!, k[3]!]],
      // Round 20o: letters of another alphabet that look like c and n.
      [
        'a Greek ϲ and a Cyrillic п',
        (k) => k.map((w) => w.replace(/c/g, '\u03f2').replace(/n/g, '\u043f')),
      ],
      // Round 20q: punctuation for letters, and a declaration inside a keyword's value.
      ['a ¡ for each i', (k) => k.map((w) => w.replace(/i/g, '\u00a1'))],
      [
        'an ! for each i beside them',
        (k) => [...k, 'dec!s!on-level:SECRET', 's!gnatures-requ!red:2'],
      ],
      [
        'a declaration inside the reference',
        (k) => ['decision:DEC-1,decision-level:SECRET,signatures-required:2', ...k.slice(1)],
      ],
      ['a terms hash that is no SHA-256', (k) => [...k, 'decision-terms-sha256:ab']],
      ['a level encoded otherwise', (k) => [k[0]!, k[1]!, 'decision-level:%52ESTRICTED', k[3]!]],
      // Round 20r: digits for letters.
      [
        'digits for letters beside them',
        (k) => [...k, 'd3cision-l3v3l:SECRET', 'sign4tur3s-r3quir3d:2'],
      ],
      ['every e a 3', (k) => k.map((w) => w.replace(/e/g, '3'))],
    ] as [string, (k: string[]) => string[]][]
  ).map(([how, mangle]): [string, string[], boolean] => [
    `a RESTRICTED approval's keywords with ${how}`,
    mangle(decided('full_approval', 'RESTRICTED', 1)),
    false,
  ]),
];

/** A declaration as the workbench writes it, of a SECRET full approval needing two. */
const declaring = decided('full_approval', 'SECRET', 2).join(' ');

/** Document-information entries besides the keywords that declare a decision: each holds a letter to two. */
export const DECLARING_ENTRIES: { title?: string; subject?: string; author?: string }[] = [
  { title: declaring },
  { subject: declaring },
  { title: 'Decision-Level: SECRET' },
  // Round 20m: any entry a reader shows, and a dash-like letter for the hyphen.
  { author: declaring },
  { title: declaring.replace(/-/g, '\u1428') },
  // Round 20n: letters the reading drops, shown by pdfinfo as the words they look like.
  {
    subject:
      '\u{1f173}\u{1f174}\u{1f172}\u{1f178}\u{1f182}\u{1f178}\u{1f17e}\u{1f17d} level SECRET',
  },
  { subject: '\ua77aecision-level: SECRET' },
  { title: '\u13b6 approval' },
  // Round 20o: a Greek ϲ and a Cyrillic п for c and n; combining small letters.
  { subject: 'De\u03f2ision type: full approval; sig\u043fatures required: 2' },
  { subject: 'x\u0369\u0364\u1de4 level SECRET' },
  // Round 20p: currency and maths signs for letters.
  { subject: 'Four eyes: DE\u20b5ISION-LEVEL: SE\u20b5RET; SI\u20b2NATURES-REQUIRED: 2' },
  { subject: 'SI\u20b2NATURES REQUIRED: 2' },
  { subject: '\u2202ecision-level: SECRET' },
  // Round 20q: punctuation for letters.
  ...['\u00a1', '\u00a7', '\ufe57', '\u205d', '\ufe15', '!'].map((mark) => ({
    subject: `Dec${mark}s${mark}on level: SECRET - s${mark}gnatures requ${mark}red: 2`,
  })),
];

/** A title and subject that name the decision as a letter's does, and declare nothing. */
export const PLAIN_ENTRIES = {
  title: 'Godkendelse - SYS-1 Kryptonøglehåndtering, Łódź – € 10 C++ Decision Support System',
  subject: 'Signatures of the authority --------------- !!!!!!!!!!!!!!!!!! (design-level)',
};
