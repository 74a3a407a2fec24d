/**
 * Latency summaries computed exactly from every sample, the way HdrHistogram reports them
 * (nearest rank: the smallest sample with at least p% of samples at or below it), but without
 * bucketing, since a bench run keeps at most a few hundred thousand samples.
 */
export type Distribution = {
  count: number;
  min: number | null;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
};

/** The nearest-rank percentile of samples already sorted ascending; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): Distribution {
  const sorted = Float64Array.from(samples).sort();
  const values = Array.from(sorted);
  let sum = 0;
  for (const value of values) sum += value;
  return {
    count: values.length,
    min: values[0] ?? null,
    mean: values.length > 0 ? sum / values.length : null,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.at(-1) ?? null,
  };
}
