/**
 * Column lists several layers share: the risk service writes them, the exchange reads and
 * compares them. They belong to the schema, below both, so neither imports the other.
 */

/** The columns a risk's input and assessment set, in one order for INSERT and UPDATE. */
export const RISK_FIELDS = [
  'case_id',
  'matrix_id',
  'scope',
  'threat_source',
  'threat_event',
  'vulnerability',
  'impact_c',
  'impact_i',
  'impact_a',
  'impact_auth',
  'likelihood',
  'inherent_level',
  'inherent_rank',
  'treatment',
  'measures',
  'residual_likelihood',
  'residual_impact',
  'residual_level',
  'residual_rank',
  'owner',
  'review_date',
  'updated_at',
] as const;
