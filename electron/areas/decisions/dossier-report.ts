/**
 * The dossier report's layout: profile, compliance matrix, risks with heat maps, findings,
 * conditions, evidence with hashes — a pure function of the dossier snapshot a decision cites
 * (or would cite now) and the letterhead, so the report made later shows what was decided on.
 */
import type { ClassificationScheme } from '../../../shared/classification';
import type { DocumentSpec, Section } from '../../../shared/documents';
import { DOSSIER_KEYWORD, type DossierSnapshot } from '../../../shared/dossier';
import { formatDay, translate, type Language, type MessageKey } from '../../../shared/i18n';
import { heatMapCells } from '../../../shared/risk-charts';

/** What heads every document the authority issues: its scheme, its name, the day. */
export interface Letterhead {
  scheme: ClassificationScheme;
  issuer: string;
  today: string;
}

/** A hash in two groups, so it wraps at a space rather than inside a group. */
export function grouped(hash: string): string {
  return (hash.match(/.{1,32}/g) ?? []).join(' ');
}

/** A system's levels as a document names them: each domain with its level's label. */
export function levelsText(
  scheme: ClassificationScheme,
  levels: { domain: string; level: string }[],
  language: Language,
): string {
  return levels
    .map(
      (l) =>
        `${translate(language, `domain.${l.domain}` as MessageKey)}: ${scheme.label(l.level, l.domain as never)}`,
    )
    .join('; ');
}

export function riskSections(snapshot: DossierSnapshot, language: Language): Section[] {
  const t = (key: MessageKey) => translate(language, key);
  const { matrix, risks } = snapshot;
  if (!matrix) {
    return [{ type: 'paragraphs', heading: t('doc.risks'), paragraphs: [t('doc.noCriteria')] }];
  }
  const level = (id: string | null) => matrix.levels.find((l) => l.id === id)?.[language] ?? '-';
  return [
    {
      type: 'heatmap',
      heading: t('doc.risks'),
      axes: { likelihood: t('risk.axis.likelihood'), impact: t('risk.axis.impact') },
      maps: [
        {
          title: t('risk.heat.inherent'),
          ...heatMapCells(
            matrix,
            risks.flatMap((r) => (r.inherent ? [r.inherent] : [])),
          ),
        },
        {
          title: t('risk.heat.residual'),
          ...heatMapCells(
            matrix,
            risks.map((r) => r.residual),
          ),
        },
      ],
    },
    {
      type: 'table',
      columns: [
        t('risk.col.ref'),
        t('risk.col.event'),
        t('risk.col.inherent'),
        t('risk.col.treatment'),
        t('risk.col.residual'),
        t('risk.col.acceptance'),
      ],
      widths: [10, 38, 12, 12, 12, 16],
      rows: risks.map((r) => [
        r.ref,
        `${r.threatEvent} (${r.scope})`,
        level(r.inherentLevel),
        translate(language, `treatment.${r.treatment}` as MessageKey),
        level(r.residualLevel),
        `${translate(language, `acceptance.${r.acceptance.status}` as MessageKey)}${r.acceptance.expiresOn ? ` ${formatDay(language, r.acceptance.expiresOn)}` : ''}`,
      ]),
    },
  ];
}

/** The dossier report of a snapshot, as `head` heads it. */
export function dossierReport(
  snapshot: DossierSnapshot,
  sha256: string,
  language: Language,
  decisionRef: string | null,
  head: Letterhead,
): DocumentSpec {
  const t = (key: MessageKey, params?: Record<string, string | number>) =>
    translate(language, key, params);
  const { system } = snapshot;
  const { levels } = system;
  const findings = snapshot.findings.filter((f) => f.kind === 'finding');
  const conditions = snapshot.findings.filter((f) => f.kind === 'condition');
  const findingRows = (list: typeof findings) =>
    list.map((f) => [
      f.requirementId ?? '-',
      translate(language, `severity.${f.severity}` as MessageKey),
      f.title,
      f.owner,
      formatDay(language, f.dueDate, '-'),
      translate(language, `findingStatus.${f.status}` as MessageKey),
    ]);
  const findingColumns = [
    t('doc.col.requirement'),
    t('doc.col.severity'),
    t('doc.col.title'),
    t('doc.col.owner'),
    t('doc.col.due'),
    t('doc.col.status'),
  ];
  return {
    kind: 'dossier-report',
    language,
    title: t('doc.dossier.title', { system: `${system.ref} ${system.name}` }),
    marking: head.scheme.highestMarking(levels)?.text ?? t('doc.unmarked'),
    reference: snapshot.case.ref,
    version: sha256.slice(0, 12),
    pageLabel: t('doc.page'),
    issuer: head.issuer,
    date: formatDay(language, head.today),
    keywords: [`${DOSSIER_KEYWORD}${sha256}`],
    sections: [
      {
        type: 'facts',
        heading: t('doc.profile'),
        rows: [
          [t('doc.system'), `${system.ref} ${system.name}`],
          [t('doc.levels'), levelsText(head.scheme, levels, language)],
          [t('doc.mode'), translate(language, `mode.${system.mode}` as MessageKey)],
          [
            t('doc.case'),
            `${snapshot.case.ref} - ${translate(language, `caseType.${snapshot.case.type}` as MessageKey)}`,
          ],
          [t('doc.state'), translate(language, `state.${snapshot.case.state}` as MessageKey)],
          [t('doc.catalogue'), `${snapshot.case.catalogue.id} ${snapshot.case.catalogue.version}`],
          [t('doc.dossierHash'), grouped(sha256)],
          ...(decisionRef
            ? ([[t('doc.dossier.decidedIn'), decisionRef]] as [string, string][])
            : []),
        ],
      },
      {
        type: 'table',
        heading: t('doc.compliance'),
        columns: [
          t('doc.col.requirement'),
          t('doc.col.area'),
          t('doc.col.status'),
          t('doc.col.verdict'),
          t('doc.col.statement'),
        ],
        widths: [11, 8, 15, 12, 54],
        rows: snapshot.checklist.map((i) => [
          i.requirementId,
          i.area,
          translate(language, `item.${i.status}` as MessageKey),
          translate(language, `verdict.${i.verdict}` as MessageKey),
          i.statement,
        ]),
      },
      ...riskSections(snapshot, language),
      {
        type: 'table',
        heading: t('doc.findings'),
        columns: findingColumns,
        widths: [11, 11, 40, 14, 12, 12],
        rows: findingRows(findings),
      },
      {
        type: 'table',
        heading: t('doc.conditions'),
        columns: findingColumns,
        widths: [11, 11, 40, 14, 12, 12],
        rows: findingRows(conditions),
      },
      {
        type: 'table',
        heading: t('doc.evidence'),
        columns: [t('doc.col.title'), t('doc.col.version'), t('doc.col.status'), 'SHA-256'],
        widths: [30, 8, 12, 50],
        rows: snapshot.evidence.map((e) => [
          `${e.title} (${e.fileName})`,
          e.version,
          translate(language, `review.${e.reviewStatus}` as MessageKey),
          grouped(e.sha256),
        ]),
      },
    ],
  };
}
