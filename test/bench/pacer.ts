import { setTimeout as sleep } from "node:timers/promises";

/**
 * Spaces sends across all shoppers to an aggregate rate (evenly, one slot per 1/rate s). Without
 * a rate it never waits, and each shopper's pace is set only by the answers it waits for.
 */
export class Pacer {
  readonly #intervalMs: number | null;
  #next = 0;

  constructor(ratePerSecond: number | undefined) {
    this.#intervalMs = ratePerSecond ? 1000 / ratePerSecond : null;
  }

  async wait(signal: AbortSignal): Promise<void> {
    if (this.#intervalMs === null) return;
    const now = performance.now();
    const slot = Math.max(now, this.#next);
    this.#next = slot + this.#intervalMs;
    if (slot > now) await sleep(slot - now, undefined, { signal });
  }
}
