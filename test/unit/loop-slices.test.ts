import { describe, expect, it } from "vitest";
import { LoopSlices } from "../../src/loop-slices.ts";

/** Hold the thread for about `ms`, as a loop's item of real work does. */
function work(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe("sliced loops on the event loop", () => {
  it("go on one per turn of the event loop, so two of them never hold the same turn, and both finish", async () => {
    // A timer counts the loop's turns: it is due again by the time each turn's slice has run.
    let turn = 0;
    const ticker = setInterval(() => (turn += 1), 1);
    const turnsOf = async (items: number) => {
      const slices = new LoopSlices(4);
      const turns = new Set<number>();
      for (let item = 0; item < items; item += 1) {
        work(1);
        turns.add(turn);
        await slices.pause();
      }
      return turns;
    };
    try {
      const [first, second] = await Promise.all([turnsOf(40), turnsOf(40)]);
      const shared = [...first].filter((value) => second.has(value));
      // Their first slices run as they start (the same turn); every later one has a turn of its own.
      expect(shared.length).toBeLessThanOrEqual(1);
      expect(first.size).toBeGreaterThan(4);
      expect(second.size).toBeGreaterThan(4);
    } finally {
      clearInterval(ticker);
    }
  });

  it("let I/O and timers in between slices", async () => {
    const slices = new LoopSlices(2);
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 1);
    try {
      for (let item = 0; item < 30; item += 1) {
        work(1);
        await slices.pause();
      }
      expect(ticks).toBeGreaterThan(3);
    } finally {
      clearInterval(ticker);
    }
  });
});
