import { readFileSync } from "node:fs";

export type MachineCpuSample = { busy: number; total: number };

/**
 * Whole-machine CPU counters from /proc/stat (Linux only; null elsewhere). Two samples give how
 * many cores were busy in between, so a report can say how much CPU neither the server nor the
 * generator used: on a shared box, other work competing for the same cores skews every figure.
 */
export function sampleMachineCpu(): MachineCpuSample | null {
  let line: string | undefined;
  try {
    line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
  } catch {
    return null;
  }
  if (!line?.startsWith("cpu ")) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

/** Busy cores between two samples (e.g. 1.5 of 2). */
export function busyCores(before: MachineCpuSample | null, after: MachineCpuSample | null, cores: number): number | null {
  if (!before || !after || after.total <= before.total) return null;
  return ((after.busy - before.busy) / (after.total - before.total)) * cores;
}
