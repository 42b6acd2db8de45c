// Sample statistics and number formatting shared by every section.

/** Median, p99, mean, min, max of a list of durations (any unit). */
export function summarize(samples) {
  if (samples.length === 0) return { n: 0, median: NaN, p99: NaN, mean: NaN, min: NaN, max: NaN };
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    n: sorted.length,
    median: quantileMid(sorted),
    p99: at(0.99),
    mean: sum / sorted.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

function quantileMid(sorted) {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Microseconds with a precision that suits the magnitude. */
export function us(value) {
  if (!Number.isFinite(value)) return "–";
  if (value >= 1000) return `${(value / 1000).toFixed(2)} ms`;
  if (value >= 100) return `${value.toFixed(0)} µs`;
  if (value >= 10) return `${value.toFixed(1)} µs`;
  if (value >= 1) return `${value.toFixed(2)} µs`;
  return `${(value * 1000).toFixed(0)} ns`;
}

export function ms(value) {
  if (!Number.isFinite(value)) return "–";
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
}

export function ratio(value) {
  if (!Number.isFinite(value)) return "–";
  return value >= 10 ? `${value.toFixed(1)}×` : `${value.toFixed(3)}×`;
}

export function bytes(value) {
  if (!Number.isFinite(value)) return "–";
  const kb = value / 1000;
  return kb >= 1000 ? `${(kb / 1000).toFixed(2)} MB (${value.toLocaleString("en-US")} B)` : `${kb.toFixed(1)} KB (${value.toLocaleString("en-US")} B)`;
}

export function mib(value) {
  return Number.isFinite(value) ? `${(value / 1048576).toFixed(1)} MiB` : "–";
}
