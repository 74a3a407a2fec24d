import { afterEach, describe, expect, it } from "vitest";
import { connectRedis, type RedisClient } from "../../src/coordination/redis-coordination.ts";
import { LoginThrottle } from "../../src/agents/login-throttle.ts";
import { isAppError } from "../../src/errors.ts";
import { createLimiterFactory, tryConsume, type LimiterFactory } from "../../src/limits/limiters.ts";
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

  it("throttles logins on both servers alike: shared failure counts and shared known IPs", async () => {
    const [a, b] = await Promise.all([0, 1].map(() => connectRedis(TEST_REDIS_URL, createSilentLogger(), "limits")));
    clients.push(a!, b!);
    // A prefix of this run's own, so counters left by other runs (or other tests) do not count.
    const run = `test-${crypto.randomUUID()}`;
    const prefixed = (factory: LimiterFactory): LimiterFactory => (name, points, seconds) => factory(`${run}:${name}`, points, seconds);
    const onA = new LoginThrottle(prefixed(createLimiterFactory({ kind: "redis", client: a, useRedisPackage: true })));
    const onB = new LoginThrottle(prefixed(createLimiterFactory({ kind: "redis", client: b, useRedisPackage: true })));
    const refused = (attempt: Promise<void>) => attempt.then(() => false, (error: unknown) => (isAppError(error, "RATE_LIMITED") ? true : Promise.reject(error)));
    const admin = "admin@pinebrook.test";

    // The admin logs in at the office through server A: B knows that IP too.
    await onA.check(admin, "198.51.100.2");
    await onA.succeeded(admin, "198.51.100.2");

    // Five wrong passwords from one IP for one account, alternating servers: the sixth is refused on both.
    for (let attempt = 0; attempt < 5; attempt += 1) expect(await refused((attempt % 2 ? onB : onA).check(admin, "203.0.113.7"))).toBe(false);
    expect(await refused(onA.check(admin, "203.0.113.7"))).toBe(true);
    expect(await refused(onB.check(admin, "203.0.113.7"))).toBe(true);

    // A distributed guesser, one wrong password per IP, half through each server, trips the
    // account-wide limit: 50 from unknown IPs, 5 of them counted above...
    const guesses = [];
    for (let index = 0; index < 45; index += 1) guesses.push(await refused((index % 2 ? onB : onA).check(admin, `10.9.0.${index}`)));
    expect(guesses.every((wasRefused) => !wasRefused)).toBe(true);
    expect(await refused(onB.check(admin, "10.9.1.1"))).toBe(true);
    expect(await refused(onA.check(admin, "10.9.1.2"))).toBe(true);
    // ...but the office IP, known from the login through A, still gets in through B.
    expect(await refused(onB.check(admin, "198.51.100.2"))).toBe(false);
  });
});
