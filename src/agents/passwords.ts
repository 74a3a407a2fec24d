import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { availableParallelism } from "node:os";
import pLimit from "p-limit";
import { refusal } from "../errors.ts";

/** scrypt from node:crypto, on libuv's thread pool so hashing never blocks the event loop. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
/**
 * At most two derivations run at once, and never more than the cores less one: each takes a core
 * for its whole run (and 32 MB), so a login flood cannot take the core the event loop needs, nor
 * more than half of libuv's pool (4 threads by default), which file and DNS work need. On two
 * cores one runs at a time: running two there is no faster (measured: 1.6 against 1.4 hashes a
 * second on a busy machine) and leaves the event loop no core. At most MAX_WAITING wait, and more
 * are refused at once rather than queued without end.
 */
const running = pLimit(Math.max(1, Math.min(2, availableParallelism() - 1)));
const MAX_WAITING = 16;

function derive(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  if (running.pendingCount >= MAX_WAITING) return Promise.reject(refusal("RATE_LIMITED", "Too many logins at once. Try again in a moment.", { details: { retryAfterSeconds: 1 } }));
  return running(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { ...params, maxmem: 128 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
      }),
  );
}

/** "scrypt$N$r$p$salt$hash", base64url parts: the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
