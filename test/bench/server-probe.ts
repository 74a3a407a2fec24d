import { readFileSync } from "node:fs";
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";

/**
 * Preloaded into the benchmarked server (node --import) so the bench can read what only the
 * server process knows: its event-loop delay, heap and CPU time. It talks over the IPC channel
 * the bench opens and changes nothing in the server itself (it adds one 10 ms timer). Loaded with
 * --expose-gc, so the report can also give the heap left after a full collection.
 */

/**
 * A stretch in which the event loop ran at least STALL_MS late, and where the main thread's time
 * went meanwhile (Linux schedstat; null elsewhere): running JavaScript or native code (a long task),
 * waiting for a CPU (the machine's other processes had them), or neither (blocked in a system call).
 * `endedAt` is Unix time in ms (performance.timeOrigin-based), comparable across processes.
 * `gcMs`: the main thread's garbage-collection pauses within the stretch (part of its running time);
 * `majorGcMs`: those of full (mark-compact) collections.
 */
export type Stall = { endedAt: number; ms: number; runningMs: number | null; waitingForCpuMs: number | null; gcMs: number; majorGcMs: number };

export type ProbeReport = {
  eventLoopDelayMs: { mean: number; p50: number; p99: number; max: number };
  memory: NodeJS.MemoryUsage;
  heapUsedAfterGc: number | null;
  /** CPU time of the whole process (all threads) since the last reset, in microseconds. */
  cpuMicros: { user: number; system: number };
  /** Wall time since the last reset, in milliseconds. */
  elapsedMs: number;
  /** Event-loop stalls since the last reset (at most MAX_STALLS). */
  stalls: Stall[];
};

/** probe:report-light skips the full collection, for reading the probe mid-run without pausing the server. */
export type ProbeRequest = "probe:reset" | "probe:report" | "probe:report-light";

// 5 ms sampling: fine enough to see a blocked loop well under the 20 ms budget, cheap to run.
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let cpuBaseline = process.cpuUsage();
let resetAt = performance.now();

const TICK_MS = 10;
const STALL_MS = 20;
const MAX_STALLS = 5_000;
const SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`;
/** The main thread's time on a CPU and waiting for one, in ms since it started; null without /proc. */
function mainThreadTimes(): [number, number] | null {
  try {
    const [running, waiting] = readFileSync(SCHEDSTAT, "utf8").split(" ").map(Number);
    return [running! / 1e6, waiting! / 1e6];
  } catch {
    return null;
  }
}
/** The main thread's garbage-collection pauses (performance time), the latest GC_KEPT of them. */
const GC_KEPT = 10_000;
let collections: { start: number; end: number; major: boolean }[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = ((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind;
    collections.push({ start: entry.startTime, end: entry.startTime + entry.duration, major: kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR });
  }
  if (collections.length > GC_KEPT) collections = collections.slice(-GC_KEPT);
}).observe({ entryTypes: ["gc"] });
/** GC pause time within [from, to] (performance time): entries arrive after the pause, so this is read at report time. */
function gcWithin(from: number, to: number, onlyMajor = false): number {
  let total = 0;
  for (const { start, end, major } of collections) if (major || !onlyMajor) total += Math.max(0, Math.min(end, to) - Math.max(start, from));
  return total;
}
let stalls: Stall[] = [];
let lastTick = performance.now();
let lastTimes = mainThreadTimes();
setInterval(() => {
  const now = performance.now();
  const times = mainThreadTimes();
  if (now - lastTick - TICK_MS >= STALL_MS && stalls.length < MAX_STALLS) {
    stalls.push({
      endedAt: performance.timeOrigin + now,
      ms: now - lastTick,
      runningMs: times && lastTimes ? times[0] - lastTimes[0] : null,
      waitingForCpuMs: times && lastTimes ? times[1] - lastTimes[1] : null,
      gcMs: 0,
      majorGcMs: 0,
    });
  }
  lastTick = now;
  lastTimes = times;
}, TICK_MS).unref();

process.on("message", (message: unknown) => {
  if (message === "probe:reset") {
    delay.reset();
    stalls = [];
    cpuBaseline = process.cpuUsage();
    resetAt = performance.now();
  } else if (message === "probe:report" || message === "probe:report-light") {
    const cpuMicros = process.cpuUsage(cpuBaseline);
    const elapsedMs = performance.now() - resetAt;
    const memory = process.memoryUsage();
    const gc = (globalThis as { gc?: () => void }).gc;
    let heapUsedAfterGc: number | null = null;
    if (gc && message === "probe:report") {
      gc();
      heapUsedAfterGc = process.memoryUsage().heapUsed;
    }
    const report: ProbeReport = {
      eventLoopDelayMs: { mean: delay.mean / 1e6, p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
      memory,
      heapUsedAfterGc,
      cpuMicros,
      elapsedMs,
      stalls: stalls.map((stall) => {
        const end = stall.endedAt - performance.timeOrigin;
        return { ...stall, gcMs: gcWithin(end - stall.ms, end), majorGcMs: gcWithin(end - stall.ms, end, true) };
      }),
    };
    process.send?.({ type: "probe:report", report });
  }
});
// The channel must not keep the server alive on its own.
process.channel?.unref();
