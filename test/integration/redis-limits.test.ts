import { afterEach, describe, expect, it } from "vitest";
import { connectRedis, type RedisClient } from "../../src/coordination/redis-coordination.ts";
import { createLimiterFactory, tryConsume } from "../../src/limits/limiters.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { redisProblem, TEST_REDIS_URL } from "../support/services.ts";

/** Two limiter factories on one Redis stand for two servers: a client's budget is the same whichever it reaches. */
describe.skipIf(redisProblem !== null)(`limits shared through Redis${redisProblem ? ` (skipped: ${redisProblem})` : ""}`, () => {
  const clients: RedisClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  it("counts one window for both servers", async () => {
    const [a, b] = await Promise.all([0, 1].map(() => connectRedis(TEST_REDIS_URL, createSilentLogger(), "limits")));
    clients.push(a!, b!);
    const name = `test-${crypto.randomUUID()}`;
    const onA = createLimiterFactory({ kind: "redis", client: a, useRedisPackage: true })(name, 3, 60);
    const onB = createLimiterFactory({ kind: "redis", client: b, useRedisPackage: true })(name, 3, 60);
    const waits = [await tryConsume(onA, "198.51.100.7"), await tryConsume(onB, "198.51.100.7"), await tryConsume(onA, "198.51.100.7"), await tryConsume(onB, "198.51.100.7")];
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(0);
    // Another address has its own window.
    expect(await tryConsume(onB, "198.51.100.8")).toBe(0);
  });
});
