import { toAppError } from "../errors.ts";
import type { Locale } from "../protocol/chat-payloads.ts";
import type { ShopperEventKind, ShopperLimits } from "./shopper-limits.ts";

/** Told how long each shopper event took from arrival to its acknowledgement, and its outcome (metrics). */
export type AckRecorder = { ack(kind: ShopperEventKind, seconds: number, outcome: string): void };

/**
 * The connection an event came on, closed when its client keeps sending after being refused; its
 * refusals are worded in `locale`.
 */
export type GateClient = { disconnect(close: boolean): unknown; readonly locale?: Locale };

/**
 * Refusals one connection may collect within REFUSAL_WINDOW_MS. A refusal tells the client how
 * long to wait (the widget waits, and its typing and page views are sparse), so a connection
 * refused this often ignores it: it is closed, so that a flood costs its sender a new connection
 * every few dozen events instead of one refusal per round trip for as long as it likes.
 */
export const MAX_REFUSALS_PER_CONNECTION = 30;
const REFUSAL_WINDOW_MS = 60_000;

/** What the /chat gateway asks before it does anything for a shopper's client. */
export interface ChatGate {
  /**
   * Admit a new socket from `ip` (RATE_LIMITED, in `locale`, when it opens too many a minute or has
   * too many open); call the result when it closes.
   */
  admit(ip: string, locale?: Locale): Promise<() => void>;
  /**
   * Run one client event under its IP's and conversation's limits, timing it. `client`: its
   * connection, closed once it has been refused MAX_REFUSALS_PER_CONNECTION times in a minute.
   */
  run<T>(kind: ShopperEventKind, ip: string, conversationId: string | undefined, work: () => Promise<T>, client?: GateClient): Promise<T>;
}

export function createChatGate(limits: ShopperLimits, recorder?: AckRecorder, now: () => number = () => performance.now()): ChatGate {
  const refusals = new WeakMap<GateClient, { since: number; count: number }>();
  /** Count a refusal of `client`: true when it has now had too many. */
  const strike = (client: GateClient): boolean => {
    const at = now();
    const record = refusals.get(client);
    if (!record || at - record.since > REFUSAL_WINDOW_MS) {
      refusals.set(client, { since: at, count: 1 });
      return false;
    }
    record.count += 1;
    return record.count > MAX_REFUSALS_PER_CONNECTION;
  };
  return {
    admit: (ip, locale) => limits.admitSocket(ip, locale),
    async run(kind, ip, conversationId, work, client) {
      const began = now();
      let outcome = "ok";
      try {
        try {
          await limits.take(kind, ip, conversationId, client?.locale);
        } catch (refusal) {
          if (client && strike(client)) {
            // The refusal's answer goes out first; then the connection closes.
            setImmediate(() => client.disconnect(true));
            throw limits.refuse("refusals-per-connection", REFUSAL_WINDOW_MS, client.locale);
          }
          throw refusal;
        }
        return await work();
      } catch (error) {
        outcome = toAppError(error).code;
        throw error;
      } finally {
        recorder?.ack(kind, (now() - began) / 1000, outcome);
      }
    },
  };
}
