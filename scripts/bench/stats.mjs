// Summaries of timing samples.

/** The p-th percentile (0..100) of `values`, nearest rank; NaN for no values. */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const median = (values) => percentile(values, 50);

/** The middle of `values` (the upper of the two middle ones), the largest, and how many: { median, max, n }. */
export const spread = (values) => ({ median: [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)], max: Math.max(...values), n: values.length });

/** A number rounded to `digits` decimals, for tables and JSON. */
export const round = (x, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);
