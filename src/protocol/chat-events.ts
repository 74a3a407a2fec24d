import type { AckCallback } from "./ack.ts";
import type { AnswerFeedbackPayload, ContactLeavePayload, ConversationStartPayload, MessageSendPayload, PageViewPayload, TypingPayload } from "./chat-payloads.ts";
import type { AnswerDelta, ConversationEvent, ConversationState, LiveAnswer } from "./conversation-events.ts";
import type { RecommendationClickPayload, Suggestion, SuggestionsPayload } from "./shopping.ts";

export type ConversationStarted = {
  conversationId: string;
  /** Keep it to resume this conversation later; it is the only proof of ownership. */
  resumeToken: string;
  state: ConversationState;
  /** Events after the client's lastSeq (all of them for a new or unknown lastSeq = 0), in order. */
  events: ConversationEvent[];
  lastSeq: number;
  /** Answers streaming now with their text so far (whatever lastSeq was); live answer-delta events continue them. */
  streaming: LiveAnswer[];
};

export type MessageAccepted = { seq: number; duplicate: boolean };

/** The rating now stored with a bot answer. */
export type AnswerFeedback = { answerId: string; rating: "up" | "down"; at: string };

/** Events the shopper's client sends on the /chat namespace. */
export interface ChatClientEvents {
  "conversation-start": (payload: ConversationStartPayload, ack: AckCallback<ConversationStarted>) => void;
  "message-send": (payload: MessageSendPayload, ack: AckCallback<MessageAccepted>) => void;
  "page-view": (payload: PageViewPayload, ack?: AckCallback<null>) => void;
  typing: (payload: TypingPayload) => void;
  /** Leave contact details (and a message) for the team to get back to the shopper. */
  "contact-leave": (payload: ContactLeavePayload, ack: AckCallback<{ seq: number }>) => void;
  /** Thumbs up or down on a bot answer of this conversation, stored with the answer (NOT_FOUND for any other id). */
  "answer-feedback": (payload: AnswerFeedbackPayload, ack: AckCallback<AnswerFeedback>) => void;
  /** Question chips for the page the shopper is on (needs no conversation). */
  "suggestions-get": (payload: SuggestionsPayload, ack: AckCallback<{ suggestions: Suggestion[] }>) => void;
  /** The shopper opened a product card of one of this conversation's answers. */
  "recommendation-click": (payload: RecommendationClickPayload, ack?: AckCallback<{ counted: boolean }>) => void;
}

/** Events the server sends on the /chat namespace. */
export interface ChatServerEvents {
  /** A durable conversation event; clients drop any seq they have already seen. */
  "conversation-event": (event: ConversationEvent) => void;
  /** Live: the next piece of a streaming answer (never persisted; answer-end carries the whole text). */
  "answer-delta": (delta: AnswerDelta) => void;
  /** Ephemeral: someone on the other side is typing (never persisted). */
  typing: (payload: { conversationId: string; author: "bot" | "agent"; isTyping: boolean }) => void;
  /** The server is shutting down for a deploy: the connection closes and the client reconnects (resuming by token and lastSeq). */
  "server-draining": (payload: { reconnectAfterMs: number }) => void;
}
