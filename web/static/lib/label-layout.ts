/**
 * Vertical positions for labels that must not overlap (the values written at the ends of a chart's
 * lines, which coincide whenever two colours have similar counts). Each label keeps its order and
 * moves as little as possible; all stay within [top, bottom] when there is room for them.
 */
export function spreadLabels(wanted: readonly number[], gap: number, top: number, bottom: number): number[] {
  const order = wanted.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y || a.i - b.i);
  const placed = order.map((o) => Math.min(Math.max(o.y, top), bottom));
  // Push down whatever crowds the label above it, then pull back up from the bottom edge.
  for (let k = 1; k < placed.length; k++) placed[k] = Math.max(placed[k]!, placed[k - 1]! + gap);
  const last = placed.length - 1;
  if (last >= 0 && placed[last]! > bottom) {
    placed[last] = bottom;
    for (let k = last - 1; k >= 0; k--) placed[k] = Math.min(placed[k]!, placed[k + 1]! - gap);
  }
  const out = new Array<number>(wanted.length);
  order.forEach((o, k) => {
    out[o.i] = placed[k]!;
  });
  return out;
}
