import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/conversations/rate-limiter.ts";

describe("rate limiter", () => {
  it("allows a burst of perMinute, then refills over time, per key", () => {
    const limiter = new RateLimiter(3);
    expect([1, 2, 3, 4].map(() => limiter.take("a", 0))).toEqual([true, true, true, false]);
    expect(limiter.take("b", 0)).toBe(true);
    expect(limiter.take("a", 19_000)).toBe(false);
    expect(limiter.take("a", 21_000)).toBe(true);
  });
});
