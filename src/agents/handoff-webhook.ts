import { createHmac } from "node:crypto";
import type { EventHub } from "../conversations/event-hub.ts";
import type { Logger } from "../logger.ts";
import type { ConversationSummary } from "../protocol/agent-events.ts";

/**
 * POSTs every new hand-off as JSON to a URL, for teams that live in another tool. Each delivery
 * is retried with backoff; a webhook that stays down is logged and never holds up a shopper.
 * Every attempt is signed: `Kefu-Timestamp` (Unix seconds) and `Kefu-Signature: v1=<hex>`, the
 * HMAC-SHA256 of "<timestamp>.<body>" under the configured secret, so the receiver can tell a
 * delivery from Kefu from a forged or replayed one.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** POSTs every new hand-off as JSON to a URL (see signWebhook). */
export function registerHandoffWebhook(deps: {
  hub: EventHub;
  url: string;
  secret: string;
  publicUrl: string | undefined;
  summary: (conversationId: string) => Promise<ConversationSummary>;
  logger: Logger;
  attempts?: number;
  backoffMs?: number;
}): { idle(): Promise<void> } {
  const { hub, url, secret, publicUrl, summary, logger, attempts = 4, backoffMs = 500 } = deps;
  const inFlight = new Set<Promise<void>>();

  const deliver = async (conversationId: string) => {
    const conversation = await summary(conversationId);
    const body = JSON.stringify({
      type: "handoff",
      conversationId,
      reason: conversation.handoff?.reason ?? null,
      question: conversation.handoff?.question ?? null,
      confidence: conversation.handoff?.confidence?.score ?? null,
      waitingSince: conversation.waitingSince,
      productId: conversation.productId,
      contactLeft: conversation.contactLeft,
      dashboardUrl: publicUrl ? new URL(`/dashboard/?conversation=${conversationId}`, publicUrl).toString() : null,
    });
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const timestamp = Math.floor(Date.now() / 1000);
        const headers = { "content-type": "application/json", "kefu-timestamp": String(timestamp), "kefu-signature": signWebhook(secret, timestamp, body) };
        const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(5_000) });
        if (response.ok) return;
        if (response.status < 500 && response.status !== 429) {
          logger.warn({ status: response.status, conversationId }, "hand-off webhook refused the delivery");
          return;
        }
      } catch (error) {
        if (attempt === attempts) logger.warn({ err: error, conversationId }, "hand-off webhook unreachable");
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
    }
    logger.warn({ conversationId, attempts }, "hand-off webhook delivery gave up");
  };

  hub.on("event", (event) => {
    if (event.type !== "state-changed" || event.state !== "waiting") return;
    const delivery = deliver(event.conversationId).catch((error: unknown) => logger.warn({ err: error }, "hand-off webhook failed"));
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
  });

  return { idle: async () => void (await Promise.allSettled([...inFlight])) };
}
