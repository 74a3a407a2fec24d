/** How long one stretch of a long loop may hold the event loop before acks and other callbacks get in. */
export const SLICE_MS = 8;

/**
 * For long loops on the event loop (every product after a publish, every row of a log): call
 * `await slices.pause()` between items; it yields to the event loop (setImmediate) once the current
 * slice has run `sliceMs`, and otherwise returns at once.
 */
export class LoopSlices {
  readonly #sliceMs: number;
  #since = performance.now();

  constructor(sliceMs = SLICE_MS) {
    this.#sliceMs = sliceMs;
  }

  async pause(): Promise<void> {
    if (performance.now() - this.#since < this.#sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.#since = performance.now();
  }
}
