/**
 * The server's own account of where a bot turn spent its time before the first shown text
 * (kefu_bot_turn_phase_seconds, src/conversations/turn-phases.ts), read from /metrics before and
 * after a measured phase and subtracted. Percentiles come from the histogram's buckets (the upper
 * bound of the bucket holding the rank), so they are bounds, not exact values; the mean is exact.
 */
export type PhaseFigures = { phase: string; count: number; meanMs: number; p50AtMostMs: number | null; p99AtMostMs: number | null };

type Histogram = { buckets: Map<number, number>; sum: number; count: number };

const PHASES = ["queue", "prepare", "shopping", "retrieval", "to-model", "model-first-chunk", "first-shown"];

export async function readTurnPhases(serverUrl: string): Promise<Map<string, Histogram>> {
  const response = await fetch(`${serverUrl}/metrics`);
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  const byPhase = new Map<string, Histogram>();
  const line = /^kefu_bot_turn_phase_seconds_(bucket|sum|count)\{([^}]*)\} (\S+)$/gm;
  for (const match of text.matchAll(line)) {
    const labels = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]]));
    const phase = labels.phase;
    if (!phase) continue;
    const histogram = byPhase.get(phase) ?? { buckets: new Map(), sum: 0, count: 0 };
    byPhase.set(phase, histogram);
    const value = Number(match[3]);
    if (match[1] === "bucket") histogram.buckets.set(labels.le === "+Inf" ? Infinity : Number(labels.le), value);
    else if (match[1] === "sum") histogram.sum = value;
    else histogram.count = value;
  }
  return byPhase;
}

/** Figures for what happened between the two reads. */
export function phaseFigures(before: Map<string, Histogram>, after: Map<string, Histogram>): PhaseFigures[] {
  const figures: PhaseFigures[] = [];
  for (const phase of PHASES) {
    const end = after.get(phase);
    if (!end) continue;
    const start = before.get(phase);
    const count = end.count - (start?.count ?? 0);
    if (count <= 0) continue;
    const sum = end.sum - (start?.sum ?? 0);
    const cumulative = [...end.buckets.entries()].sort((a, b) => a[0] - b[0]).map(([le, value]) => [le, value - (start?.buckets.get(le) ?? 0)] as const);
    const bound = (p: number): number | null => {
      const rank = Math.ceil((p / 100) * count);
      const bucket = cumulative.find(([, value]) => value >= rank);
      return bucket && Number.isFinite(bucket[0]) ? bucket[0] * 1000 : null;
    };
    figures.push({ phase, count, meanMs: (sum / count) * 1000, p50AtMostMs: bound(50), p99AtMostMs: bound(99) });
  }
  return figures;
}
