/**
 * The parts of a bot turn before the shopper sees its first text, each timed from the end of the
 * one before: waiting in the bot queue, preparing (ownership, budget, history), the catalog's shopping answers, retrieval with the assessment of its evidence (one search-worker round trip), the
 * way to the model (facts, prompt, a free LLM slot), the model's first chunk, and the first text
 * shown (the verdict read, redaction hold-back). Reported to a recorder (the metrics) so an
 * operator, or the llm bench, sees which part a slow first token spent its time in.
 */
export type TurnPhase = "queue" | "prepare" | "shopping" | "retrieval" | "to-model" | "model-first-chunk" | "first-shown";

export interface TurnPhaseRecorder {
  turnPhase(phase: TurnPhase, seconds: number): void;
}

export class TurnPhases {
  readonly #recorder: TurnPhaseRecorder | undefined;
  readonly #seen = new Set<TurnPhase>();
  #last: number;

  constructor(recorder: TurnPhaseRecorder | undefined, since = performance.now()) {
    this.#recorder = recorder;
    this.#last = since;
  }

  /** The phase ends now; each is recorded once per turn (a retried model call keeps the first). */
  mark(phase: TurnPhase): void {
    if (this.#seen.has(phase)) return;
    this.#seen.add(phase);
    const now = performance.now();
    this.#recorder?.turnPhase(phase, (now - this.#last) / 1000);
    this.#last = now;
  }
}
