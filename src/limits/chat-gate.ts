import { toAppError } from "../errors.ts";
import type { ShopperEventKind, ShopperLimits } from "./shopper-limits.ts";

/** Told how long each shopper event took from arrival to its acknowledgement, and its outcome (metrics). */
export type AckRecorder = { ack(kind: ShopperEventKind, seconds: number, outcome: string): void };

/** What the /chat gateway asks before it does anything for a shopper's client. */
export interface ChatGate {
  /** Admit a new socket from `ip` (RATE_LIMITED when it has too many open); call the result when it closes. */
  admit(ip: string): Promise<() => void>;
  /** Run one client event under its IP's and conversation's limits, timing it. */
  run<T>(kind: ShopperEventKind, ip: string, conversationId: string | undefined, work: () => Promise<T>): Promise<T>;
}

export function createChatGate(limits: ShopperLimits, recorder?: AckRecorder): ChatGate {
  return {
    admit: (ip) => limits.admitSocket(ip),
    async run(kind, ip, conversationId, work) {
      const began = performance.now();
      let outcome = "ok";
      try {
        await limits.take(kind, ip, conversationId);
        return await work();
      } catch (error) {
        outcome = toAppError(error).code;
        throw error;
      } finally {
        recorder?.ack(kind, (performance.now() - began) / 1000, outcome);
      }
    },
  };
}
