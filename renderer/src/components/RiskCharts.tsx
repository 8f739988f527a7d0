/**
 * The risk pictures as SVG: a heat map whose cells filter the register, the movement from
 * inherent to residual, and a trend over reviews. Geometry comes from shared/risk-charts.ts;
 * these components only draw it, with text labels so they read in print and to a screen reader.
 */
import type { KeyboardEvent } from 'react';
import type { RiskMatrix } from '../../../shared/risk';
import {
  AXIS,
  CELL,
  heatMapCells,
  movementArrows,
  riskPoints,
  trendLines,
} from '../../../shared/risk-charts';
import type { RiskRow } from '../../../shared/contract';
import { useT } from '../i18n';
import { useLanguage } from '../stores/preferences';

/** Room left of the grid for the likelihood axis's title, clear of the tick numbers. */
const TITLE = 16;
/** Room right of the trend for the level names. */
const LEVELS = 76;

export interface Cell {
  kind: 'inherent' | 'residual';
  likelihood: number;
  impact: number;
}

function Axes({ matrix }: { matrix: RiskMatrix }) {
  const t = useT();
  const L = matrix.likelihood.length;
  return (
    <g className="axes" aria-hidden="true">
      {matrix.likelihood.map((_, l) => (
        <text key={`l${l}`} x={AXIS - 8} y={(L - l - 0.5) * CELL + 4} textAnchor="end">
          {l + 1}
        </text>
      ))}
      {matrix.impact.map((_, i) => (
        <text key={`i${i}`} x={AXIS + (i + 0.5) * CELL} y={L * CELL + 12} textAnchor="middle">
          {i + 1}
        </text>
      ))}
      <text
        transform="rotate(-90)"
        x={-(L * CELL) / 2}
        y={-TITLE + 11}
        textAnchor="middle"
        className="axis-title"
      >
        {t('risk.axis.likelihood')}
      </text>
    </g>
  );
}

/** A heat map of where the risks sit; a cell is a button that filters the register. */
export function HeatMap({
  matrix,
  kind,
  risks,
  selected,
  onSelect,
}: {
  matrix: RiskMatrix;
  kind: 'inherent' | 'residual';
  risks: readonly RiskRow[];
  selected: Cell | null;
  onSelect: (cell: Cell | null) => void;
}) {
  const t = useT();
  const language = useLanguage();
  const points = risks.flatMap((r) => {
    const p = riskPoints(r);
    return kind === 'residual' ? [p.residual] : p.inherent ? [p.inherent] : [];
  });
  const { width, height, cells } = heatMapCells(matrix, points);
  const title = t(kind === 'inherent' ? 'risk.heat.inherent' : 'risk.heat.residual');
  const levelLabel = (id: string) => matrix.levels.find((l) => l.id === id)?.[language] ?? id;
  return (
    <figure className="heatmap" data-testid={`heatmap-${kind}`}>
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`${-TITLE} 0 ${width + TITLE} ${height}`}
        width={width + TITLE}
        height={height}
        role="group"
        aria-label={title}
      >
        <Axes matrix={matrix} />
        {cells.map((c) => {
          const isSelected =
            selected?.kind === kind &&
            selected.likelihood === c.likelihood &&
            selected.impact === c.impact;
          const label = t('risk.heat.cell', {
            likelihood: c.likelihood,
            impact: c.impact,
            level: levelLabel(c.level),
            count: c.count,
          });
          const toggle = () =>
            onSelect(isSelected ? null : { kind, likelihood: c.likelihood, impact: c.impact });
          return (
            <g
              key={`${c.likelihood}:${c.impact}`}
              role="button"
              tabIndex={0}
              aria-label={label}
              aria-pressed={isSelected}
              data-cell={`${c.likelihood}-${c.impact}`}
              data-count={c.count}
              className={isSelected ? 'cell cell--selected' : 'cell'}
              onClick={toggle}
              onKeyDown={(e: KeyboardEvent) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  toggle();
                }
              }}
            >
              <title>{label}</title>
              <rect
                x={c.x + 1}
                y={c.y + 1}
                width={c.size - 2}
                height={c.size - 2}
                fill={c.fill}
                fillOpacity={c.count ? 0.95 : 0.35}
                stroke={isSelected ? '#000' : '#fff'}
                strokeWidth={isSelected ? 3 : 1}
              />
              {c.count ? (
                <text
                  x={c.x + c.size / 2}
                  y={c.y + c.size / 2 + 6}
                  textAnchor="middle"
                  className="cell__count"
                >
                  {c.count}
                </text>
              ) : null}
            </g>
          );
        })}
        <text
          x={AXIS + (width - AXIS) / 2}
          y={height - 3}
          textAnchor="middle"
          className="axis-title"
        >
          {t('risk.axis.impact')}
        </text>
      </svg>
    </figure>
  );
}

/** Arrows from each risk's inherent cell to its residual cell. */
export function RiskMovement({ matrix, risks }: { matrix: RiskMatrix; risks: readonly RiskRow[] }) {
  const t = useT();
  const { width, height, cells } = heatMapCells(matrix, []);
  const arrows = movementArrows(matrix, risks);
  return (
    <figure className="heatmap" data-testid="risk-movement">
      <figcaption>{t('risk.movement')}</figcaption>
      <svg
        viewBox={`${-TITLE} 0 ${width + TITLE} ${height}`}
        width={width + TITLE}
        height={height}
        role="img"
        aria-label={t('risk.movement.summary', {
          moved: arrows.filter((a) => a.moved).length,
          total: arrows.length,
        })}
      >
        <defs>
          <marker
            id="arrowhead"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#1b1f24" />
          </marker>
        </defs>
        <Axes matrix={matrix} />
        {cells.map((c) => (
          <rect
            key={`${c.likelihood}:${c.impact}`}
            x={c.x + 1}
            y={c.y + 1}
            width={c.size - 2}
            height={c.size - 2}
            fill={c.fill}
            fillOpacity={0.3}
          />
        ))}
        {arrows.map((a) =>
          a.moved ? (
            <line
              key={a.id}
              x1={a.x1}
              y1={a.y1}
              x2={a.x2}
              y2={a.y2}
              stroke="#1b1f24"
              strokeWidth={1.5}
              markerEnd="url(#arrowhead)"
            >
              <title>{a.label}</title>
            </line>
          ) : (
            <circle key={a.id} cx={a.x1} cy={a.y1} r={4} fill="#1b1f24">
              <title>{a.label}</title>
            </circle>
          ),
        )}
        <text
          x={AXIS + (width - AXIS) / 2}
          y={height - 3}
          textAnchor="middle"
          className="axis-title"
        >
          {t('risk.axis.impact')}
        </text>
      </svg>
    </figure>
  );
}

/** Inherent and residual level of one risk over its reviews. */
export function RiskTrend({
  matrix,
  reviews,
}: {
  matrix: RiskMatrix;
  reviews: readonly { at: string; inherentRank: number | null; residualRank: number }[];
}) {
  const t = useT();
  const language = useLanguage();
  const { width, height, inherent, residual } = trendLines(matrix.levels.length, reviews);
  const path = (points: { x: number; y: number }[]) =>
    points.map((p, i) => `${i ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ');
  return (
    <figure className="trend" data-testid="risk-trend">
      <figcaption>{t('risk.trend')}</figcaption>
      <svg
        viewBox={`0 0 ${width + LEVELS} ${height}`}
        width={width + LEVELS}
        height={height}
        role="img"
        aria-label={t('risk.trend.summary', { reviews: reviews.length })}
      >
        {matrix.levels.map((level, rank) => {
          const y =
            height - AXIS - (rank / Math.max(1, matrix.levels.length - 1)) * (height - 2 * AXIS);
          return (
            <g key={level.id}>
              <line
                x1={AXIS}
                x2={width - AXIS}
                y1={y}
                y2={y}
                stroke={level.colour}
                strokeOpacity={0.5}
              />
              <text x={width - AXIS + 4} y={y + 4} className="trend__level">
                {level[language]}
              </text>
            </g>
          );
        })}
        <path
          d={path(inherent)}
          fill="none"
          stroke="#4a5360"
          strokeDasharray="4 3"
          strokeWidth={2}
        />
        <path d={path(residual)} fill="none" stroke="#0b4f8a" strokeWidth={2.5} />
        {residual.map((p) => (
          <circle key={`r${p.at}`} cx={p.x} cy={p.y} r={3.5} fill="#0b4f8a">
            <title>{`${p.at.slice(0, 10)}: ${matrix.levels[p.rank]?.[language] ?? ''}`}</title>
          </circle>
        ))}
      </svg>
      <p className="legend">
        <span className="legend__inherent">{t('risk.inherent')}</span>{' '}
        <span className="legend__residual">{t('risk.residual')}</span>
      </p>
    </figure>
  );
}
