import { questionFor } from "./chat-questions.ts";
import type { BenchContext } from "./scenario.ts";
import type { TimedShopper } from "./timed-shopper.ts";

/** Counts a kind of failure (a bench run reports every one and exits non-zero). */
export type Tally = (kind: string, count?: number) => void;

/** Phase 1, not part of the message figures: every shopper connects and starts a conversation. */
export async function connectAll(shoppers: TimedShopper[], context: BenchContext, fail: Tally): Promise<{ ready: boolean[]; startAcks: number[] }> {
  const { signal } = context;
  const startAcks: number[] = [];
  const ready = await Promise.all(
    shoppers.map(async (shopper, index) => {
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
    }),
  );
  return { ready, startAcks };
}

/** What remains of the global time budget, at least 1 ms. */
export function timeLeft(context: BenchContext): number {
  return Math.max(1, Math.round(context.deadline - performance.now()));
}

