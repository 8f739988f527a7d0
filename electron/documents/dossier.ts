/**
 * The dossier snapshot's canonical form (RFC 8785, by the `canonicalize` library) and its hash,
 * and reading one back from a file: the bytes must be exactly the canonical JSON of a valid
 * snapshot, so the hash of the file is the hash of the dossier.
 */
import canonicalize from 'canonicalize';
import { DossierSnapshotSchema, type DossierSnapshot } from '../../shared/dossier';
import { sha256Hex } from '../signing/hash';

export interface CanonicalDossier {
  snapshot: DossierSnapshot;
  json: string;
  sha256: string;
}

export function canonicalDossier(snapshot: DossierSnapshot): CanonicalDossier {
  const json = canonicalize(snapshot);
  if (json === undefined) {
    throw new Error('a dossier snapshot must be JSON');
  }
  return { snapshot, json, sha256: sha256Hex(json) };
}

/** Why bytes are not a dossier: not JSON, not a snapshot, or not in canonical form. */
export type DossierProblem = 'NOT_JSON' | 'NOT_A_DOSSIER' | 'NOT_CANONICAL';

/** Reads a dossier file: its snapshot and hash, or what is wrong with it. */
export function readDossier(
  bytes: Uint8Array,
): CanonicalDossier | { problem: DossierProblem; sha256: string } {
  const text = Buffer.from(bytes).toString('utf8');
  const sha256 = sha256Hex(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'NOT_JSON', sha256 };
  }
  const parsed = DossierSnapshotSchema.safeParse(value);
  if (!parsed.success) {
    return { problem: 'NOT_A_DOSSIER', sha256 };
  }
  const canonical = canonicalDossier(parsed.data);
  return canonical.json === text && canonical.sha256 === sha256
    ? canonical
    : { problem: 'NOT_CANONICAL', sha256 };
}
