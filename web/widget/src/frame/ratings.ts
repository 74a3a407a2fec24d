import type { FrameStorage } from "./frame-storage.ts";

export type Rating = "up" | "down";

const MAX_RATINGS_KEPT = 200;

/** The shopper's thumbs up or down per answer, kept in the frame's storage (the newest 200). */
export class Ratings {
  readonly #storage: FrameStorage;
  #ratings: Record<string, Rating>;

  constructor(storage: FrameStorage) {
    this.#storage = storage;
    this.#ratings = storage.getJson<Record<string, Rating>>("ratings", {});
  }

  /** A copy for the view. */
  snapshot(): Record<string, Rating> {
    return { ...this.#ratings };
  }

  get(answerId: string): Rating | null {
    return this.#ratings[answerId] ?? null;
  }

  set(answerId: string, rating: Rating | null): void {
    const next = { ...this.#ratings };
    if (rating) next[answerId] = rating;
    else delete next[answerId];
    const keys = Object.keys(next);
    for (const key of keys.slice(0, Math.max(0, keys.length - MAX_RATINGS_KEPT))) delete next[key];
    this.#ratings = next;
    this.#storage.setJson("ratings", next);
  }
}
