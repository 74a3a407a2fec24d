import { describe, expect, it } from "vitest";
import { reciprocalRankFusion } from "../../src/retrieval/fuse.ts";

describe("reciprocal rank fusion", () => {
  it("rewards items ranked high in several lists", () => {
    const scores = reciprocalRankFusion([{ items: ["a", "b", "c"] }, { items: ["b", "c", "a"] }], 60);
    const order = [...scores.entries()].sort((x, y) => y[1] - x[1]).map(([item]) => item);
    expect(order).toEqual(["b", "a", "c"]);
    expect(scores.get("b")).toBeCloseTo(1 / 62 + 1 / 61);
  });

  it("counts an item missing from a list as contributing nothing, and honours weights", () => {
    const scores = reciprocalRankFusion([{ items: ["a"] }, { items: ["b"], weight: 2 }], 10);
    expect(scores.get("a")).toBeCloseTo(1 / 11);
    expect(scores.get("b")).toBeCloseTo(2 / 11);
  });
});
