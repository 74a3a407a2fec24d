import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * Preloaded into the benchmarked server (node --import) so the bench can read what only the
 * server process knows: its event-loop delay, heap and CPU time. It talks over the IPC channel
 * the bench opens and changes nothing in the server itself. Loaded with --expose-gc, so the
 * report can also give the heap left after a full collection.
 */
export type ProbeReport = {
  eventLoopDelayMs: { mean: number; p50: number; p99: number; max: number };
  memory: NodeJS.MemoryUsage;
  heapUsedAfterGc: number | null;
  /** CPU time of the whole process (all threads) since the last reset, in microseconds. */
  cpuMicros: { user: number; system: number };
  /** Wall time since the last reset, in milliseconds. */
  elapsedMs: number;
};

/** probe:report-light skips the full collection, for reading the probe mid-run without pausing the server. */
export type ProbeRequest = "probe:reset" | "probe:report" | "probe:report-light";

// 5 ms sampling: fine enough to see a blocked loop well under the 20 ms budget, cheap to run.
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let cpuBaseline = process.cpuUsage();
let resetAt = performance.now();

process.on("message", (message: unknown) => {
  if (message === "probe:reset") {
    delay.reset();
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
    };
    process.send?.({ type: "probe:report", report });
  }
});
// The channel must not keep the server alive on its own.
process.channel?.unref();
