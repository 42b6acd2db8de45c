// Latency percentiles over a sorted array of milliseconds (nearest-rank), rounded to 0.01 ms.
export function percentile(sorted, q) {
  if (!sorted.length) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[index] * 100) / 100;
}
