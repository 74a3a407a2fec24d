import type { OptionValues } from "./scenario.ts";

/** Typed reads of parsed command-line values, with an error naming the flag. */
export function readNumber(values: OptionValues, name: string, limits: { min: number; integer?: boolean }): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < limits.min || (limits.integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${limits.integer ? "an integer" : "a number"} ≥ ${limits.min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function readChoice<T extends string>(values: OptionValues, name: string, choices: readonly T[]): T | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (!choices.includes(raw as T)) throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(raw)}`);
  return raw as T;
}

export function readStrings(values: OptionValues, name: string): string[] {
  const raw = values[name];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

/** A bad flag: run.ts prints the message and the scenario's help, and exits with 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
