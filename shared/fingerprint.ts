/**
 * A certificate's SHA-256 fingerprint as people compare it aloud (issue 22): upper-case pairs of
 * hex digits, four pairs (four bytes) to a group, eight groups. What a user types back or pastes
 * (any case, with spaces, colons or dashes) is normalised before it is compared.
 */

/** "3f2a9c01…" → ["3F 2A 9C 01", "7B 44 …", …]. */
export function fingerprintGroups(hex: string): string[] {
  const pairs = hex.toUpperCase().match(/[0-9A-F]{2}/g) ?? [];
  const groups: string[] = [];
  for (let i = 0; i < pairs.length; i += 4) {
    groups.push(pairs.slice(i, i + 4).join(' '));
  }
  return groups;
}

/** The fingerprint in one line, its groups apart: "3F 2A 9C 01  7B 44 …". */
export function readAloud(hex: string): string {
  return fingerprintGroups(hex).join('  ');
}

/** A SHA-256 fingerprint as typed or pasted, in the core's form (64 lower-case hex), or null. */
export function normaliseFingerprint(text: string): string | null {
  const hex = text.replace(/[\s:-]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}
