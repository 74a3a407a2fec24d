import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors.ts";

/** Each limit counts over a fixed window that starts with its first point (rate-limiter-flexible's memory limiter). */
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
/** IPs an account logged in from recently, kept per account, newest last. */
const KNOWN_IPS_PER_ACCOUNT = 10;

/**
 * Slows password guessing without letting an attacker lock a real agent out. Every limit is
 * checked before any password work, so refused attempts cost nothing. Limits are per IP and per
 * (IP, account), which an attacker cannot trip for someone else's IP; the account-wide limit,
 * which a distributed attacker could trip, refuses only IPs the account has not logged in from
 * before, so the agent at their usual desk still gets in. Records expire with their window, and
 * per-IP limits bound how fast new ones appear.
 */
export class LoginThrottle {
  readonly #attemptsPerIp = new RateLimiterMemory({ keyPrefix: "login-ip", ...LIMITS.attemptsPerIp });
  readonly #failuresPerPair = new RateLimiterMemory({ keyPrefix: "login-pair", ...LIMITS.failuresPerIpAndAccount });
  readonly #failuresPerIp = new RateLimiterMemory({ keyPrefix: "login-fail-ip", ...LIMITS.failuresPerIp });
  readonly #failuresPerAccount = new RateLimiterMemory({ keyPrefix: "login-account", ...LIMITS.failuresPerAccount });
  readonly #knownIps = new Map<string, string[]>();

  /**
   * Refuse with RATE_LIMITED when this attempt must wait. The attempt is counted as a failure at
   * once (and given back when it succeeds), so attempts made at the same time cannot all slip in.
   */
  async check(email: string, ip: string): Promise<void> {
    await take(this.#attemptsPerIp, ip);
    await take(this.#failuresPerPair, `${ip}|${email}`);
    await take(this.#failuresPerIp, ip);
    if (!this.#knownIps.get(email)?.includes(ip)) await take(this.#failuresPerAccount, email);
  }

  async succeeded(email: string, ip: string): Promise<void> {
    const known = this.#knownIps.get(email) ?? [];
    await Promise.all([this.#failuresPerPair.delete(`${ip}|${email}`), this.#failuresPerIp.reward(ip), known.includes(ip) ? null : this.#failuresPerAccount.reward(email)]);
    this.#knownIps.set(email, [...known.filter((item) => item !== ip), ip].slice(-KNOWN_IPS_PER_ACCOUNT));
  }
}

async function take(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
    throw new AppError("RATE_LIMITED", `Too many login attempts. Try again in ${seconds} s.`, { details: { retryAfterSeconds: seconds } });
  }
}
