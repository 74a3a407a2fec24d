import { inLaterTurn } from "../loop-slices.ts";
import type { Logger } from "../logger.ts";

export type BotQueueStats = {
  /** Turns waiting for a free slot (or for the turn before them in the same conversation). */
  waiting: number;
  /** Turns running now. */
  running: number;
  /** How long the oldest waiting turn has waited, in ms (0 when none waits). */
  oldestWaitMs: number;
  /** Messages refused since start because the queue was full (the shopper was asked to retry). */
  refused: number;
};

type Entry<T> = { key: string; item: T; since: number };

export type BotQueueOptions<T> = {
  /** Turns that run at once, across all conversations. */
  concurrency: number;
  /** Waiting turns at which new work is refused (see full). */
  limit: number;
  /** A turn that waited this long is reported once through onLongWait. */
  longWaitMs: number;
  /** One turn; waitedMs is how long it waited in the queue. */
  run: (key: string, item: T, waitedMs: number) => Promise<void>;
  onLongWait: (key: string, item: T) => void;
  logger: Logger;
  now?: () => number;
};

/**
 * Bot turns, bounded: at most `concurrency` run at once, one at a time per conversation (key), the
 * oldest waiting turn first. Pushing never runs anything in the caller's turn of the event loop, so
 * whoever pushes (a message being acknowledged) is never delayed by bot work. Nothing pushed is
 * dropped: `full` tells the caller to refuse new work before it is accepted.
 */
export class BotQueue<T> {
  readonly #options: BotQueueOptions<T>;
  readonly #now: () => number;
  #waiting: Entry<T>[] = [];
  readonly #running = new Map<string, Promise<void>>();
  /** Conversations already told their answer is coming late (until their next turn starts). */
  readonly #told = new Set<string>();
  #pumpScheduled = false;
  #watch: ReturnType<typeof setInterval> | undefined;
  #refused = 0;
  #closed = false;

  constructor(options: BotQueueOptions<T>) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Whether a turn of this key is running or waiting. */
  has(key: string): boolean {
    return this.#running.has(key) || this.#waiting.some((entry) => entry.key === key);
  }

  /** Whether a turn of this key pushed now would start at once (a slot free for it after those waiting, none of its own running or waiting). */
  startsAtOnce(key: string): boolean {
    return this.#waiting.length + this.#running.size < this.#options.concurrency && !this.has(key);
  }

  get full(): boolean {
    return this.#waiting.length >= this.#options.limit;
  }

  /** Count a message refused because the queue was full (logged the first time and every 100th). */
  refuse(): void {
    this.#refused += 1;
    if (this.#refused === 1 || this.#refused % 100 === 0) this.#options.logger.warn({ ...this.stats }, "bot queue full: refusing new messages");
  }

  get stats(): BotQueueStats {
    const oldest = this.#waiting[0];
    return { waiting: this.#waiting.length, running: this.#running.size, oldestWaitMs: oldest ? Math.round(this.#now() - oldest.since) : 0, refused: this.#refused };
  }

  push(key: string, item: T): void {
    if (this.#closed) return;
    this.#waiting.push({ key, item, since: this.#now() });
    this.#schedulePump();
    this.#watch ??= setInterval(() => this.#checkWaits(), Math.min(1_000, Math.max(50, this.#options.longWaitMs / 2))).unref();
  }

  /** Take no more turns and forget those waiting; resolves when the running ones end. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#waiting = [];
    clearInterval(this.#watch);
    await Promise.allSettled([...this.#running.values()]);
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    // In a later turn: acknowledgements written in this turn of the loop leave before any bot work.
    inLaterTurn(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  /**
   * One turn starts per turn of the event loop. A turn's first steps run at once when it starts
   * (reading its conversation and history, building the request for the search worker), and the
   * dozens acknowledged by one commit, started together, held the loop 10–25 ms while the writer's
   * next commit waited to be picked up: its acks went out that much later.
   */
  #pump(): void {
    if (!this.#closed && this.#running.size < this.#options.concurrency) {
      const index = this.#waiting.findIndex((entry) => !this.#running.has(entry.key));
      if (index >= 0) {
        const [entry] = this.#waiting.splice(index, 1);
        this.#start(entry!);
        if (this.#waiting.length > 0) this.#schedulePump();
      }
    }
    if (this.#waiting.length === 0) {
      clearInterval(this.#watch);
      this.#watch = undefined;
    }
  }

  #start({ key, item, since }: Entry<T>): void {
    this.#told.delete(key);
    const turn = this.#options
      .run(key, item, this.#now() - since)
      .catch((error: unknown) => this.#options.logger.error({ err: error, conversationId: key }, "bot turn failed"))
      .finally(() => {
        this.#running.delete(key);
        this.#schedulePump();
      });
    this.#running.set(key, turn);
  }

  /** Waiting turns are in arrival order: report the ones past longWaitMs, once per conversation. */
  #checkWaits(): void {
    const cutoff = this.#now() - this.#options.longWaitMs;
    for (const entry of this.#waiting) {
      if (entry.since > cutoff) break;
      if (this.#told.has(entry.key)) continue;
      this.#told.add(entry.key);
      this.#options.onLongWait(entry.key, entry.item);
    }
  }
}
