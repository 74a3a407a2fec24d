import type { ProductCard, ProductComparison } from "./shopping.ts";

/**
 * The durable events of a conversation. Each one is persisted before it is sent and carries a
 * per-conversation sequence number (seq, from 1, without gaps), so a client that reconnects asks
 * for everything after the last seq it saw and gets exactly what it missed, in order.
 *
 * The text of a bot answer is not durable while it streams: it travels as live AnswerDelta
 * messages (answer id + offset), and only the answer's start and its end (with the whole text)
 * are durable events. Durable writes per answer are two, however long the answer.
 */
export const CONVERSATION_STATES = ["bot", "waiting", "agent", "closed"] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export type Author = "shopper" | "bot" | "agent" | "system";

/** Notices the server posts for the shopper to see, each with its own text in the shopper's language. */
export const NOTICE_CODES = ["handoff-queued", "no-agent-online", "outside-hours", "llm-unavailable", "contact-received", "conversation-closed", "bot-busy", "bot-budget"] as const;
export type NoticeCode = (typeof NOTICE_CODES)[number];

export type Citation = {
  /** Stable passage id, e.g. "product:KF-KIT-0101:en#2". */
  passageId: string;
  documentId: string;
  title: string;
  url: string | null;
  productId: string | null;
  kind: string;
  /** The [n] marker the answer text uses for this source, when it uses one. */
  marker: number | null;
};

export type ConfidenceReport = {
  score: number;
  threshold: number;
  /** The evidence the score was computed from, each in [0,1]. */
  parts: Record<string, number>;
};

export type AnswerStatus = "complete" | "stopped" | "failed" | "interrupted";

export type EventBody =
  | { type: "message"; author: Author; text: string; clientId: string | null; authorName: string | null }
  | { type: "answer-start"; answerId: string; replyTo: number }
  | {
      type: "answer-end";
      answerId: string;
      status: AnswerStatus;
      text: string;
      citations: Citation[];
      confidence: ConfidenceReport | null;
      knowledgeVersion: number;
      /** Product cards of a shopping answer, best first (absent on ordinary answers). */
      products?: ProductCard[];
      /** A side-by-side of the compared products (absent unless the shopper asked to compare). */
      comparison?: ProductComparison | null;
    }
  | { type: "state-changed"; state: ConversationState; reason: string | null; by: string | null }
  | { type: "notice"; code: NoticeCode; text: string }
  | { type: "contact"; name: string | null; email: string | null; phone: string | null; message: string | null };

export type ConversationEvent = EventBody & {
  conversationId: string;
  seq: number;
  /** ISO 8601 time the server persisted the event. */
  at: string;
};

export type EventType = EventBody["type"];

/**
 * Live, never persisted: the next piece of an answer that is streaming. offset is where text
 * starts in the answer's text (UTF-16 code units), so a client joins pieces without a gap or a
 * repeat whatever it received before (a resume snapshot, or pieces that overlap it).
 */
export type AnswerDelta = { conversationId: string; answerId: string; offset: number; text: string };

/** An answer streaming now: its text so far. Deltas continue at offset text.length. */
export type LiveAnswer = { answerId: string; text: string };
