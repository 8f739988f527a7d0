/**
 * Geometry of the risk pictures (heat map, movement, trend) as plain data: the renderer draws
 * it as SVG and the PDF reports draw the same shapes, so the screen and the printed dossier
 * agree. Pure; coordinates are in a fixed view box.
 */
import { combinedImpact, levelIndex, type RiskMatrix, type RiskScores } from './risk';

export const CELL = 48;
export const AXIS = 28;

export interface HeatCell {
  likelihood: number;
  impact: number;
  x: number;
  y: number;
  size: number;
  fill: string;
  level: string;
  count: number;
}

/** Cells of the matrix, highest likelihood at the top, with the number of risks in each. */
export function heatMapCells(
  matrix: RiskMatrix,
  points: readonly { likelihood: number; impact: number }[],
): { width: number; height: number; cells: HeatCell[] } {
  const L = matrix.likelihood.length;
  const I = matrix.impact.length;
  const counts = new Map<string, number>();
  for (const p of points) {
    counts.set(`${p.likelihood}:${p.impact}`, (counts.get(`${p.likelihood}:${p.impact}`) ?? 0) + 1);
  }
  const cells: HeatCell[] = [];
  for (let l = 1; l <= L; l++) {
    for (let i = 1; i <= I; i++) {
      const level = matrix.levels[levelIndex(matrix, l, i)]!;
      cells.push({
        likelihood: l,
        impact: i,
        x: AXIS + (i - 1) * CELL,
        y: (L - l) * CELL,
        size: CELL,
        fill: level.colour,
        level: level.id,
        count: counts.get(`${l}:${i}`) ?? 0,
      });
    }
  }
  return { width: AXIS + I * CELL, height: L * CELL + AXIS, cells };
}

/** Where a risk sits before treatment (likelihood × worst impact) and after it. */
export function riskPoints(risk: RiskScores): {
  inherent: { likelihood: number; impact: number } | null;
  residual: { likelihood: number; impact: number };
} {
  const impact = combinedImpact(risk);
  return {
    inherent: impact === null ? null : { likelihood: risk.likelihood, impact },
    residual: { likelihood: risk.residualLikelihood, impact: risk.residualImpact },
  };
}

export interface Arrow {
  id: string;
  label: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  moved: boolean;
}

/**
 * One arrow per risk from its inherent cell to its residual cell; risks sharing a cell are
 * spread around its centre so every arrow stays visible.
 */
export function movementArrows(
  matrix: RiskMatrix,
  risks: readonly (RiskScores & { id: string; ref: string })[],
): Arrow[] {
  const L = matrix.likelihood.length;
  const centre = (p: { likelihood: number; impact: number }) => ({
    x: AXIS + (p.impact - 0.5) * CELL,
    y: (L - p.likelihood + 0.5) * CELL,
  });
  const seen = new Map<string, number>();
  const offset = (key: string) => {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    if (n === 0) {
      return { dx: 0, dy: 0 };
    }
    const angle = (n * 2 * Math.PI) / 6;
    const r = CELL * 0.28;
    return { dx: Math.round(r * Math.cos(angle)), dy: Math.round(r * Math.sin(angle)) };
  };
  return risks.flatMap((risk) => {
    const { inherent, residual } = riskPoints(risk);
    if (!inherent) {
      return [];
    }
    const from = centre(inherent);
    const to = centre(residual);
    const o = offset(`${inherent.likelihood}:${inherent.impact}`);
    return [
      {
        id: risk.id,
        label: risk.ref,
        x1: from.x + o.dx,
        y1: from.y + o.dy,
        x2: to.x + o.dx,
        y2: to.y + o.dy,
        moved: inherent.likelihood !== residual.likelihood || inherent.impact !== residual.impact,
      },
    ];
  });
}

export interface TrendPoint {
  x: number;
  y: number;
  rank: number;
  at: string;
}

/** A line per series (inherent, residual) over the reviews, rank 0 at the bottom. */
export function trendLines(
  levels: number,
  reviews: readonly { at: string; inherentRank: number | null; residualRank: number }[],
  width = 320,
  height = 140,
): { width: number; height: number; inherent: TrendPoint[]; residual: TrendPoint[] } {
  const step = reviews.length > 1 ? (width - 2 * AXIS) / (reviews.length - 1) : 0;
  const y = (rank: number) =>
    height - AXIS - (rank / Math.max(1, levels - 1)) * (height - 2 * AXIS);
  const at = (i: number) => AXIS + i * step;
  return {
    width,
    height,
    inherent: reviews.flatMap((r, i) =>
      r.inherentRank === null
        ? []
        : [{ x: at(i), y: y(r.inherentRank), rank: r.inherentRank, at: r.at }],
    ),
    residual: reviews.map((r, i) => ({
      x: at(i),
      y: y(r.residualRank),
      rank: r.residualRank,
      at: r.at,
    })),
  };
}
