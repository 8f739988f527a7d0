/**
 * A register entry's history as it was (the system page's history tab): each trail row with the
 * names it kept of the entries it refers to, and what its own entry was called at that moment.
 */
import type { SqlValue } from 'sql.js';
import { partChanges } from '../../db/audit';
import { text as str } from '../../db/query';

/** The field(s) a register entry is called by, per kind (a system by its reference and name). */
const LABEL_FIELDS: Record<string, string[]> = {
  system: ['ref', 'name'],
  site: ['name'],
  component: ['product'],
  interconnection: ['peerSystemId', 'peerName'],
};

/**
 * A register entry's history as it was: each row with its change, the names it kept of the
 * entries it refers to (null on rows written before names were kept), and what its own entry
 * was called at that moment, read off the entry's earlier rows (its creation, its corrections).
 * Rows oldest first, as the trail holds them.
 */
export function historyAsItWas(trail: Record<string, SqlValue>[]) {
  const labels = new Map<string, Record<string, string>>();
  return trail.map((r) => {
    const type = str(r.entity_type);
    const entityId = str(r.entity_id);
    const action = str(r.action);
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(str(r.changes)) as Record<string, unknown>;
    } catch {
      // an unreadable payload shows no changes (and breaks the chain, which says so)
    }
    const { changes, names } = partChanges(parsed);
    const fields = labels.get(entityId) ?? {};
    for (const field of LABEL_FIELDS[type] ?? []) {
      const v = changes[field];
      // A creation records values; a correction records [old, new].
      const after: unknown =
        !action.endsWith('.create') && Array.isArray(v) && v.length === 2 ? (v as unknown[])[1] : v;
      if (field === 'peerSystemId' && field in changes) {
        // Another system of the register: by its name then, when the row kept it.
        fields[field] = typeof after === 'string' ? (names?.[after] ?? '') : '';
      } else if (typeof after === 'string') {
        fields[field] = after;
      }
    }
    labels.set(entityId, fields);
    const label =
      type === 'interconnection'
        ? fields.peerSystemId || fields.peerName || ''
        : (LABEL_FIELDS[type] ?? [])
            .map((f) => fields[f] ?? '')
            .filter((x) => x !== '')
            .join(' ');
    return {
      seq: Number(r.seq),
      at: str(r.at),
      actor: str(r.actor_name),
      action,
      entityType: type,
      entityId,
      /** What the entry was called when the row was written, if the trail says. */
      entityName: label === '' ? null : label,
      changes: JSON.stringify(changes),
      names,
    };
  });
}
