// Latency percentiles over a sorted array of milliseconds (nearest-rank), rounded to 0.01 ms.
export function percentile(sorted, q) {
  if (!sorted.length) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[index] * 100) / 100;
}

/** { n, p50, p90, p99, max } of unsorted milliseconds (sorts the array in place). */
export function summarize(values) {
  values.sort((a, b) => a - b);
  return { n: values.length, p50: percentile(values, 0.5), p90: percentile(values, 0.9), p99: percentile(values, 0.99), max: percentile(values, 1) };
}
