/**
 * Spaces sends across all shoppers to an aggregate rate (evenly, one slot per 1/rate s). Without
 * a rate it never waits, and each shopper's pace is set only by the answers it waits for.
 *
 * Shoppers wait in one queue released by one timer, one shopper a slot: 10,000 shoppers starting
 * at once cost the generator one entry each, not 10,000 timers armed in one run of its event loop
 * (which held that loop for tens of ms, so the first acks were read late and the first sends left
 * in bursts, for the floor and for Kefu alike).
 */
export class Pacer {
  readonly #intervalMs: number | null;
  readonly #waiting: { resolve: () => void; reject: (reason: unknown) => void; signal: AbortSignal }[] = [];
  /** The queue's head (entries before it were released). */
  #head = 0;
  /** When the next slot is due. */
  #next = 0;
  #timer: NodeJS.Timeout | null = null;
  readonly #watched = new WeakSet<AbortSignal>();

  constructor(ratePerSecond: number | undefined) {
    this.#intervalMs = ratePerSecond ? 1000 / ratePerSecond : null;
  }

  wait(signal: AbortSignal): Promise<void> {
    if (this.#intervalMs === null) return Promise.resolve();
    if (signal.aborted) return Promise.reject(signal.reason);
    if (!this.#watched.has(signal)) {
      this.#watched.add(signal);
      signal.addEventListener("abort", () => this.#abandon(signal), { once: true });
    }
    return new Promise((resolve, reject) => {
      // A slot is never owed for a time nobody waited (as a sleep until max(now, next) would not).
      if (this.#head === this.#waiting.length) this.#next = Math.max(this.#next, performance.now());
      this.#waiting.push({ resolve, reject, signal });
      this.#release();
    });
  }

  /** Release every waiter whose slot has come (one, unless this loop ran late: then the rate is caught up), then arm the timer for the next slot. */
  #release(): void {
    const interval = this.#intervalMs!;
    const now = performance.now();
    while (this.#head < this.#waiting.length && this.#next <= now) {
      const waiter = this.#waiting[this.#head]!;
      this.#head += 1;
      this.#next += interval;
      waiter.resolve();
    }
    if (this.#head === this.#waiting.length) {
      this.#waiting.length = 0;
      this.#head = 0;
      return;
    }
    // Under steady load the queue never empties: drop the released entries now and then.
    if (this.#head >= 4096) {
      this.#waiting.splice(0, this.#head);
      this.#head = 0;
    }
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#release();
    }, Math.max(0, this.#next - now));
  }

  #abandon(signal: AbortSignal): void {
    const kept = this.#waiting.slice(this.#head).filter((waiter) => {
      if (waiter.signal !== signal) return true;
      waiter.reject(signal.reason);
      return false;
    });
    this.#waiting.length = 0;
    this.#waiting.push(...kept);
    this.#head = 0;
  }
}
