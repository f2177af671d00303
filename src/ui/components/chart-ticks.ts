/** The most equal parts an axis of the activity chart is split into (six labels in its height). */
export const MAX_SEGMENTS = 5;

/** One y-axis: its tick values, 0 first, and the value at the top of the plot. */
export interface AxisScale {
  readonly ticks: readonly number[];
  readonly top: number;
}

/** The activity chart's two y-axes: completions per minute (left) and queue depth (right). */
export interface ChartScales {
  readonly rate: AxisScale;
  readonly depth: AxisScale;
}

/** The smallest of 1, 2, 5, 10, 20, 50, … at or above `raw`: a whole step, so no tick is a fraction. */
export function countStep(raw: number): number {
  if (!(raw > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) {
    if (factor * power >= raw) return factor * power;
  }
  return 10 * power;
}

/**
 * A count axis split into `segments` equal whole steps, from 0 to a top at or above `max`. A max
 * of 0 (nothing to show) gets the tick 0 alone: a made-up top such as 1 would be a second label
 * with nothing behind it. Its `top` is then 1, so that values, all 0, still scale.
 */
export function countAxis(max: number, segments: number): AxisScale {
  if (!(max > 0) || segments < 1) return { ticks: [0], top: 1 };
  const step = countStep(max / segments);
  const ticks = Array.from({ length: segments + 1 }, (_, i) => i * step);
  return { ticks, top: segments * step };
}

/**
 * Scales for both axes with the same number of segments, so every tick of either side sits on
 * one grid line. Of 1 to `MAX_SEGMENTS` segments, the one that leaves the least room above the
 * larger values wins, and of those the one with more ticks (0 to 3 reads 0, 1, 2, 3, not 0, 2, 4).
 * Maxima are rounded up to whole counts.
 */
export function chartScales(maxRate: number, maxDepth: number): ChartScales {
  const maxima = [Math.ceil(Math.max(0, maxRate)), Math.ceil(Math.max(0, maxDepth))] as const;
  const shown = maxima.filter((max) => max > 0);
  let best = 0;
  let bestWaste = Infinity;
  if (shown.length > 0) {
    for (let segments = 1; segments <= MAX_SEGMENTS; segments++) {
      const waste = shown.reduce((sum, max) => sum + countAxis(max, segments).top / max, 0);
      if (waste <= bestWaste) {
        best = segments;
        bestWaste = waste;
      }
    }
  }
  return { rate: countAxis(maxima[0], best), depth: countAxis(maxima[1], best) };
}

/** Whether two axes read the same, tick for tick: one set of labels then serves both. */
export function sameTicks(a: AxisScale, b: AxisScale): boolean {
  return a.ticks.length === b.ticks.length && a.ticks.every((tick, i) => tick === b.ticks[i]);
}
