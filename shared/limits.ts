/**
 * The length limits of free text, in characters: one number per limit, used by the zod schema
 * that refuses a longer text and by the form field that counts as the user types (its counter
 * shows near the limit and turns into the field's error beyond it). A limit changed here changes
 * on both sides at once; test/unit/no-silent-failure.test.ts holds every limit to a schema and a
 * form field. (A text no form edits keeps its number in its schema.)
 */
export const TEXT_MAX = {
  /** A checklist item's statement of how the requirement is met. */
  statement: 8000,
  /** Why a requirement does not apply. */
  justification: 4000,
  /** The authority's comment on a checklist item. */
  assessorComment: 8000,
  /** The reason given for a case's step, a decision or a countersignature. */
  reason: 4000,
  /** A condition of a decision. */
  conditionText: 2000,
  /** Who answers for a condition, a finding or a risk. */
  owner: 200,
  /** A finding's title. */
  findingTitle: 300,
  /** A name in the register (a system, a site, a person, an organisation). */
  name: 200,
  /** A system's purpose and its boundary. */
  purpose: 4000,
  boundary: 4000,
  /** The vault owner's organisation. */
  organisation: 200,
  /** A certificate's common name and organisation (X.509 upper bound). */
  commonName: 64,
  certificateOrganisation: 64,
} as const;

export type TextLimit = keyof typeof TEXT_MAX;

/** From what share of its limit a field shows its counter. */
export const COUNTER_FROM = 0.8;
