import { spawnSync } from "node:child_process";
import { questionFor } from "./chat-questions.ts";
import { UsageError } from "./read-option.ts";
import type { BenchContext } from "./scenario.ts";
import type { TimedShopper } from "./timed-shopper.ts";

/** Counts a kind of failure (a bench run reports every one and exits non-zero). */
export type Tally = (kind: string, count?: number) => void;

/**
 * Shoppers connecting at the same moment in phase 1. Shoppers arrive over time, not in one instant:
 * ten thousand handshakes at once overflow the listen backlog and time out on any server (the bare
 * floor included), which measures the kernel, not the chat server.
 */
const CONNECTING_AT_ONCE = 200;

/** Phase 1, not part of the message figures: every shopper connects and starts a conversation, CONNECTING_AT_ONCE at a time. */
export async function connectAll(shoppers: TimedShopper[], context: BenchContext, fail: Tally): Promise<{ ready: boolean[]; startAcks: number[] }> {
  const { signal } = context;
  const startAcks: number[] = [];
  const ready = shoppers.map(() => false);
  let next = 0;
  const connectOne = async (shopper: TimedShopper, index: number): Promise<boolean> => {
    try {
      await shopper.connect(signal);
    } catch {
      fail(signal.aborted ? "unfinished" : "connect");
      return false;
    }
    try {
      const { response, sentAt, ackAt } = await shopper.start({ locale: questionFor(index, 0).locale }, timeLeft(context), signal);
      if (!response.ok) {
        fail(`start:${response.error.code}`);
        return false;
      }
      startAcks.push(ackAt - sentAt);
      return true;
    } catch {
      fail(signal.aborted ? "unfinished" : "start-ack-timeout");
      return false;
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(CONNECTING_AT_ONCE, shoppers.length) }, async () => {
      while (next < shoppers.length) {
        const index = next++;
        ready[index] = await connectOne(shoppers[index]!, index);
      }
    }),
  );
  return { ready, startAcks };
}

/** What remains of the global time budget, at least 1 ms. */
export function timeLeft(context: BenchContext): number {
  return Math.max(1, Math.round(context.deadline - performance.now()));
}

/**
 * Each shopper is a socket in this process and one in the server's: refuse to start a run the open
 * file limit cannot hold, and say how to raise it (the limit is the shell's, inherited by both).
 */
export function requireFileLimit(sockets: number): void {
  const reported = spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).stdout?.trim();
  const limit = reported === "unlimited" ? Infinity : Number(reported);
  const needed = sockets + 1_000;
  if (Number.isFinite(limit) && limit > 0 && limit < needed) {
    throw new UsageError(`${sockets} shoppers need about ${needed} open files per process, but the limit is ${limit}: run \`ulimit -n ${Math.max(needed, 65_536)}\` in this shell first (see the README's Performance section)`);
  }
}
