import { setTimeout as sleep } from "node:timers/promises";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { refusal } from "../errors.ts";
import { createLimiterFactory, tryConsume, type LimiterFactory } from "../limits/limiters.ts";

/** Each limit counts over a fixed window that starts with its first point. */
const LIMITS = {
  /** Login attempts of any outcome from one IP per minute: a flood from one client stops before scrypt. */
  attemptsPerIp: { points: 30, duration: 60 },
  /** Wrong passwords from one IP for one account, then that pair waits 15 minutes. */
  failuresPerIpAndAccount: { points: 5, duration: 15 * 60 },
  /** Wrong passwords from one IP over all accounts (a guesser trying many emails). */
  failuresPerIp: { points: 20, duration: 60 * 60 },
  /** Wrong passwords for one account from anywhere (a distributed guesser): then only known IPs may try it. */
  failuresPerAccount: { points: 50, duration: 60 * 60 },
} as const;
/**
 * How long an IP stays known to an account after a successful login from it. Under 24.8 days,
 * the longest timer Node keeps, which the in-memory counters use to forget a record.
 */
const KNOWN_IP_SECONDS = 14 * 24 * 3600;
/**
 * A refused attempt is answered after this long. Refusing costs little, but a client that tries
 * again as soon as it is answered would still have the server answer it as fast as it can: held
 * back, each of its connections gets one answer a second.
 */
const REFUSAL_DELAY_MS = 1_000;

/**
 * Slows password guessing without letting an attacker lock a real agent out. Every limit is
 * checked before any password work, so refused attempts cost nothing. Limits are per IP and per
 * (IP, account), which an attacker cannot trip for someone else's IP; the account-wide limit,
 * which a distributed attacker could trip, refuses only IPs the account has not logged in from
 * recently, so the agent at their usual desk still gets in.
 *
 * Every record (counters and known IPs alike) lives in the limiter store: this process's memory,
 * or Redis when the servers share one, so a guesser gains nothing by reaching several servers and
 * an agent's known IP is known to all of them. Each record expires with its window, and the
 * per-IP limits bound how fast new ones appear (known IPs appear only on a right password).
 */
export class LoginThrottle {
  readonly #attemptsPerIp: RateLimiterAbstract;
  readonly #failuresPerPair: RateLimiterAbstract;
  readonly #failuresPerIp: RateLimiterAbstract;
  readonly #failuresPerAccount: RateLimiterAbstract;
  /** (account, IP) pairs that logged in recently: present means known. */
  readonly #knownIps: RateLimiterAbstract;

  constructor(limiters: LimiterFactory = createLimiterFactory()) {
    this.#attemptsPerIp = limiters("login-ip", LIMITS.attemptsPerIp.points, LIMITS.attemptsPerIp.duration);
    this.#failuresPerPair = limiters("login-pair", LIMITS.failuresPerIpAndAccount.points, LIMITS.failuresPerIpAndAccount.duration);
    this.#failuresPerIp = limiters("login-fail-ip", LIMITS.failuresPerIp.points, LIMITS.failuresPerIp.duration);
    this.#failuresPerAccount = limiters("login-account", LIMITS.failuresPerAccount.points, LIMITS.failuresPerAccount.duration);
    this.#knownIps = limiters("login-known", 1, KNOWN_IP_SECONDS);
  }

  /**
   * Refuse with RATE_LIMITED when this attempt must wait. The attempt is counted as a failure at
   * once (and given back when it succeeds), so attempts made at the same time cannot all slip in.
   */
  async check(email: string, ip: string): Promise<void> {
    await take(this.#attemptsPerIp, ip);
    await take(this.#failuresPerPair, pairKey(email, ip));
    await take(this.#failuresPerIp, ip);
    if (!(await this.#isKnown(email, ip))) await take(this.#failuresPerAccount, email);
  }

  async succeeded(email: string, ip: string): Promise<void> {
    const known = await this.#isKnown(email, ip);
    await Promise.all([
      this.#failuresPerPair.delete(pairKey(email, ip)),
      this.#failuresPerIp.reward(ip),
      known ? null : this.#failuresPerAccount.reward(email),
      this.#knownIps.set(pairKey(email, ip), 1, KNOWN_IP_SECONDS),
    ]);
  }

  async #isKnown(email: string, ip: string): Promise<boolean> {
    return (await this.#knownIps.get(pairKey(email, ip))) !== null;
  }
}

const pairKey = (email: string, ip: string) => `${ip}|${email}`;

async function take(limiter: RateLimiterAbstract, key: string): Promise<void> {
  const waitMs = await tryConsume(limiter, key);
  if (waitMs === 0) return;
  await sleep(REFUSAL_DELAY_MS);
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  throw refusal("RATE_LIMITED", `Too many login attempts. Try again in ${seconds} s.`, { details: { retryAfterSeconds: seconds } });
}
