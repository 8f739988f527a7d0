/**
 * Dates, times and the audit trail as a person reads them, in the UI language: "1.12.2026"
 * rather than "12/1/2026", actions as sentences, changes as "field: old → new" with names
 * instead of ids. Nothing here shows a raw key: an unknown action or field says so in words.
 */
import { useMemo } from 'react';
import { formatDay, LOCALES, messageKeys, type MessageKey } from '../../shared/i18n';
import type { InfoDomain } from '../../shared/classification';
import { useT } from './i18n';
import { useLevelLabel } from './stores/register';
import { useLanguage } from './stores/preferences';

const KNOWN = new Set<string>(messageKeys());
/** The payload key of the names a row kept (electron/db/audit.ts): no field of the change. */
const NAMES_THEN = '@names';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Where a field's coded values are translated (the first table that knows the value). */
const VALUE_TABLES: Record<string, string[]> = {
  phase: ['phase'],
  mode: ['mode'],
  kind: ['componentKind', 'productKind', 'findingKind'],
  type: ['recordType', 'orgType', 'caseType', 'decisionType', 'evidenceType'],
  direction: ['direction'],
  approvalStatus: ['approval'],
  domain: ['domain'],
  markingDomain: ['domain'],
  state: ['state'],
  status: ['recordStatus', 'findingStatus', 'item'],
  verdict: ['verdict'],
  severity: ['severity'],
  role: ['personRole', 'vault.role'],
};

export function useFormat() {
  const language = useLanguage();
  return useMemo(() => {
    const locale = LOCALES[language];
    const timeFormat = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: language === 'da' ? 'numeric' : 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    return {
      /** A calendar day (YYYY-MM-DD) in the UI language. */
      day: (iso: string | null | undefined) => formatDay(language, iso),
      /** An instant (ISO 8601) in local time, in the UI language. */
      time: (iso: string | null | undefined) => (iso ? timeFormat.format(new Date(iso)) : '—'),
      number: (n: number) => n.toLocaleString(locale),
    };
  }, [language]);
}

/** Fields whose values are classification levels (shown by their name in the domain). */
const LEVEL_FIELDS = new Set([
  'level',
  'maxLevel',
  'minClearance',
  'localLevel',
  'peerLevel',
  'markingLevel',
]);

/** The audit trail in words: `names` turns ids into what they name, `level` codes into labels. */
export function useAuditText(names: Record<string, string> = {}) {
  const t = useT();
  const format = useFormat();
  const level = useLevelLabel();
  return useMemo(() => {
    const has = (key: string): key is MessageKey => KNOWN.has(key);
    /**
     * An entry by the name it had then (`then[id]`), today's name only as a hint where it
     * differs; on a row that kept no names (`then` null), today's name, said to be today's.
     */
    const named = (id: string, then?: Record<string, string> | null): string => {
      const today = names[id];
      const was = then?.[id];
      if (was !== undefined) {
        return today !== undefined && today !== was ? t('history.nowNamed', { was, today }) : was;
      }
      if (then === null && today !== undefined) {
        return t('history.nameToday', { today });
      }
      return today ?? t('audit.unnamed');
    };
    const value = (field: string, v: unknown, then?: Record<string, string> | null): string => {
      if (v === null || v === undefined || v === '') {
        return '—';
      }
      if (typeof v === 'boolean') {
        return t(v ? 'yes' : 'no');
      }
      if (typeof v === 'number') {
        return format.number(v);
      }
      if (typeof v === 'string') {
        if (UUID.test(v)) {
          return named(v, then);
        }
        if (DAY.test(v)) {
          return format.day(v);
        }
        if (LEVEL_FIELDS.has(field)) {
          return level(v);
        }
        if (INSTANT.test(v)) {
          return format.time(v);
        }
        for (const table of VALUE_TABLES[field] ?? []) {
          const key = `${table}.${v}`;
          if (has(key)) {
            return t(key);
          }
        }
        return v;
      }
      if (Array.isArray(v)) {
        return v.map((x) => value(field, x, then)).join(', ') || '—';
      }
      if (typeof v === 'object') {
        const o = v as Record<string, unknown>;
        // A level in a domain, a clearance: the parts that say what it is.
        if (typeof o.domain === 'string' && typeof o.level === 'string') {
          return `${value('domain', o.domain)}: ${level(o.level, o.domain as InfoDomain)}`;
        }
        return Object.entries(o)
          .map(([k, x]) => `${label(k)} ${value(k, x, then)}`)
          .join(', ');
      }
      return '—';
    };
    const label = (field: string): string => {
      const key = `auditField.${field}`;
      return has(key) ? t(key) : t('audit.otherField');
    };
    return {
      action: (action: string): string => {
        const key = `audit.${action}`;
        return has(key) ? t(key) : t('audit.unknown');
      },
      named,
      /**
       * The changes of one audit row, each as "field: old → new" (or "field: value"); the
       * entries it refers to by the names the row kept (`then`), see `named`.
       */
      changes: (json: string, action = '', then?: Record<string, string> | null): string[] => {
        // An update records [old, new]; a creation records the values themselves.
        const pairs = !/\.(create|add|assign\w*|attach|import|issue|received|sent)$/.test(action);
        let parsed: unknown;
        try {
          parsed = JSON.parse(json);
        } catch {
          return [];
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
          return [];
        }
        return Object.entries(parsed as Record<string, unknown>)
          .filter(([field]) => field !== NAMES_THEN)
          .map(([field, v]) =>
            pairs && field !== 'requirementIds' && Array.isArray(v) && v.length === 2
              ? `${label(field)}: ${value(field, v[0], then)} → ${value(field, v[1], then)}`
              : `${label(field)}: ${value(field, v, then)}`,
          );
      },
    };
  }, [t, format, names, level]);
}

/**
 * A coded value from data (an evidence type of a catalogue, a person's role) in words: its
 * translation when the workbench knows it, otherwise the code with spaces for underscores.
 */
export function useCoded() {
  const t = useT();
  return useMemo(
    () => (table: 'evidenceType' | 'personRole', code: string) => {
      const key = `${table}.${code}`;
      return KNOWN.has(key) ? t(key as MessageKey) : code.replace(/_/g, ' ');
    },
    [t],
  );
}

/** A lifecycle refusal in words, its coded values (a decision type, a state) translated too. */
export function useRefusal() {
  const t = useT();
  return useMemo(
    () => (code: string, params?: Record<string, unknown>) => {
      const words = Object.fromEntries(
        Object.entries(params ?? {}).map(([k, v]) => {
          const text = typeof v === 'string' || typeof v === 'number' ? String(v) : '';
          const key = k === 'type' ? `decisionType.${text}` : k === 'state' ? `state.${text}` : '';
          return [k, KNOWN.has(key) ? t(key as MessageKey) : text];
        }),
      );
      return KNOWN.has(`refusal.${code}`) ? t(`refusal.${code}` as MessageKey, words) : code;
    },
    [t],
  );
}
