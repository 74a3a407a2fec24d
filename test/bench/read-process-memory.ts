import { readFileSync } from "node:fs";

export type ProcessMemory = { rssBytes: number; peakRssBytes: number };

/** Resident memory of another process from /proc (Linux only; null elsewhere or once it is gone). */
export function readProcessMemory(pid: number): ProcessMemory | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) * 1024 : null;
  };
  const rssBytes = kib("VmRSS");
  const peakRssBytes = kib("VmHWM");
  return rssBytes === null || peakRssBytes === null ? null : { rssBytes, peakRssBytes };
}
