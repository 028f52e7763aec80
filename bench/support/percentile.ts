/** The value below which `share` (0 to 1) of the sorted values fall, by the nearest-rank method. */
export function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const rank = Math.max(1, Math.ceil(share * sorted.length));
  return sorted[rank - 1]!;
}
