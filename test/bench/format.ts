import type { Distribution } from "./percentiles.ts";

/** Number formats shared by the llm and ingest reports (the chat report keeps its own). */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "?";
  const absolute = Math.abs(value);
  return `${absolute < 10 ? value.toFixed(2) : absolute < 100 ? value.toFixed(1) : value.toFixed(0)} ms`;
}

export function quantiles(distribution: Distribution, keys: ("p50" | "p95" | "p99" | "max")[] = ["p50", "p95", "p99", "max"]): string {
  if (distribution.count === 0) return "no samples";
  return `${keys.map((key) => `${key} ${ms(distribution[key])}`).join("  ")}  (n=${distribution.count})`;
}

export function seconds(milliseconds: number | null): string {
  return milliseconds === null ? "?" : `${(milliseconds / 1000).toFixed(2)} s`;
}

export function megabytes(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? "?" : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A change in bytes, with its sign. */
export function megabytesDelta(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? "?" : `${bytes >= 0 ? "+" : "−"}${megabytes(Math.abs(bytes))}`;
}

export function percent(share: number | null): string {
  return share === null ? "?" : `${(share * 100).toFixed(0)}%`;
}

export function cores(value: number | null): string {
  return value === null ? "?" : value.toFixed(2);
}

/** "PASS"/"MISS" against a target, "?" without a figure. */
export function verdict(value: number | null | undefined, limit: number, direction: "max" | "min" = "max"): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "?";
  return (direction === "max" ? value <= limit : value >= limit) ? "PASS" : "MISS";
}
