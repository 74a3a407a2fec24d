import { ms } from "./format.ts";
import type { Stall } from "./server-probe.ts";

/** One /healthz request as the bench saw it: when it was sent (Unix time in ms) and how long it took. */
export type HealthSample = { startedAt: number; ms: number };

/** A /healthz answer slower than this is looked for in the server's stalls. */
const SLOW_HEALTH_MS = 100;

type Causes = { running: number; waitingForCpu: number; other: number };

/**
 * Where the server's event-loop stalls went (main thread running, waiting for a CPU, or neither),
 * and whether the slow /healthz answers fell in them: a slow answer mostly covered by stalls in
 * which the main thread waited for a CPU was the machine's doing, one covered by stalls in which
 * it ran was the server's own work, and one outside any stall was lost outside the server's loop
 * (the network stack, the client).
 */
export function describeStalls(stalls: readonly Stall[], samples: readonly HealthSample[]) {
  const total: Causes = { running: 0, waitingForCpu: 0, other: 0 };
  let stallMs = 0;
  let longest = 0;
  /** The longest stall in which the main thread ran most of the time: the server's own longest task. */
  let longestRunning = 0;
  for (const stall of stalls) {
    stallMs += stall.ms;
    longest = Math.max(longest, stall.ms);
    const causes = split(stall);
    if (causes.running >= stall.ms / 2) longestRunning = Math.max(longestRunning, stall.ms);
    add(total, causes, 1);
  }
  const slow = samples.filter((sample) => sample.ms > SLOW_HEALTH_MS);
  const inSlow: Causes = { running: 0, waitingForCpu: 0, other: 0 };
  let mostlyInStalls = 0;
  let slowMs = 0;
  let overlapMs = 0;
  for (const sample of slow) {
    const end = sample.startedAt + sample.ms;
    let overlap = 0;
    for (const stall of stalls) {
      const shared = Math.min(end, stall.endedAt) - Math.max(sample.startedAt, stall.endedAt - stall.ms);
      if (shared <= 0) continue;
      overlap += shared;
      add(inSlow, split(stall), shared / stall.ms);
    }
    slowMs += sample.ms;
    overlapMs += Math.min(overlap, sample.ms);
    if (overlap >= sample.ms / 2) mostlyInStalls += 1;
  }
  const known = stalls.every((stall) => stall.runningMs !== null);
  const shares = (causes: Causes) => {
    const sum = causes.running + causes.waitingForCpu + causes.other;
    const pct = (value: number) => `${sum > 0 ? ((value / sum) * 100).toFixed(0) : 0}%`;
    return known ? `main thread running ${pct(causes.running)}, waiting for a CPU ${pct(causes.waitingForCpu)}, neither ${pct(causes.other)}` : "where the time went is unknown (no /proc schedstat)";
  };
  return {
    stalls: `${stalls.length} times the server's event loop ran ≥ 20 ms late, ${ms(stallMs)} in all, longest ${ms(longest)}; in them: ${shares(total)}${known ? `; longest with the main thread running most of it ${ms(longestRunning)}` : ""}`,
    slowHealth:
      slow.length === 0
        ? `none over ${SLOW_HEALTH_MS} ms`
        : `${slow.length} answers over ${SLOW_HEALTH_MS} ms; ${mostlyInStalls} of them spent at least half their time in server stalls (${slowMs > 0 ? ((overlapMs / slowMs) * 100).toFixed(0) : 0}% of their time in all), and in those stalls: ${shares(inSlow)}`,
    figures: { count: stalls.length, totalMs: stallMs, longestMs: longest, longestRunningMs: known ? longestRunning : null, causesMs: total, slowHealth: slow.length, slowHealthMostlyInStalls: mostlyInStalls, slowHealthShareInStalls: slowMs > 0 ? overlapMs / slowMs : null, slowHealthStallCausesMs: inSlow },
  };
}

/** A stall's time by cause, in ms. */
function split(stall: Stall): Causes {
  const running = Math.min(stall.ms, stall.runningMs ?? 0);
  const waitingForCpu = Math.min(stall.ms - running, stall.waitingForCpuMs ?? 0);
  return { running, waitingForCpu, other: stall.ms - running - waitingForCpu };
}

function add(into: Causes, causes: Causes, weight: number): void {
  into.running += causes.running * weight;
  into.waitingForCpu += causes.waitingForCpu * weight;
  into.other += causes.other * weight;
}
