/** How long one stretch of a long loop may hold the event loop before acks and other callbacks get in. */
export const SLICE_MS = 8;

/** Work waiting for its turn of the event loop (sliced loops, bot turns, answers woken), oldest first. */
const waiting: (() => void)[] = [];
let turnScheduled = false;

/**
 * One piece of waiting work goes on per turn of the event loop. Every setImmediate callback queued
 * before a turn's check phase runs in that phase, so work that each yielded through its own
 * setImmediate all went on back to back: three sliced loops after a large publish (reading changed
 * documents, packing products for the search workers, listing drafts) held the loop 25–35 ms at a
 * time, between acks.
 */
function resumeNext(): void {
  const next = waiting.shift();
  turnScheduled = waiting.length > 0;
  if (turnScheduled) setImmediate(resumeNext);
  next?.();
}

/**
 * Run `work` in a later turn of the event loop, after the I/O that comes meanwhile (acks first),
 * taking turns with the other work queued here: one piece per turn, oldest first. For work on the
 * event loop that is not the ack's (a bot turn's first steps, an answer shown once committed).
 */
export function inLaterTurn(work: () => void): void {
  waiting.push(work);
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(resumeNext);
}

/**
 * For long loops on the event loop (every product after a publish, every row of a log): call
 * `await slices.pause()` between items; once the current slice has run `sliceMs` it yields, and the
 * loop goes on in a later turn of the event loop, after the I/O that came meanwhile and after the
 * other sliced loops waiting before it (one slice per turn); otherwise it returns at once.
 */
export class LoopSlices {
  readonly #sliceMs: number;
  #since = performance.now();

  constructor(sliceMs = SLICE_MS) {
    this.#sliceMs = sliceMs;
  }

  async pause(): Promise<void> {
    if (performance.now() - this.#since < this.#sliceMs) return;
    await new Promise<void>((resolve) => inLaterTurn(resolve));
    this.#since = performance.now();
  }
}
