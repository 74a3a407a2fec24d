import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

/**
 * Where counters live. Memory: this process only (the default). Redis: shared by every node, so a
 * client cannot multiply its budget by reaching several; pass the connected client (ioredis, or
 * node-redis with useRedisPackage).
 */
export type LimiterStore = { kind: "memory" } | { kind: "redis"; client: unknown; useRedisPackage?: boolean };

/** A fixed-window counter: `points` per `durationSeconds` per key (0 seconds: never resets, a plain count). */
export type LimiterFactory = (name: string, points: number, durationSeconds: number) => RateLimiterAbstract;

/** The one place rate limiters are built; everything that limits asks this factory. */
export function createLimiterFactory(store: LimiterStore = { kind: "memory" }): LimiterFactory {
  return (name, points, durationSeconds) => {
    const options = { keyPrefix: `kefu:${name}`, points, duration: durationSeconds };
    if (store.kind === "memory") return new RateLimiterMemory(options);
    // Should Redis fail, this process counts on its own meanwhile rather than refusing every shopper.
    return new RateLimiterRedis({
      ...options,
      storeClient: store.client,
      insuranceLimiter: new RateLimiterMemory(options),
      ...(store.useRedisPackage ? { useRedisPackage: true } : {}),
    });
  };
}

/**
 * Take points from a limiter: the wait before the key has points again in ms, or 0 when taken.
 * A store failure (not a refusal) is thrown.
 */
export async function tryConsume(limiter: RateLimiterAbstract, key: string, points = 1): Promise<number> {
  try {
    await limiter.consume(key, points);
    return 0;
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return Math.max(1, refusal.msBeforeNext);
    throw refusal;
  }
}
