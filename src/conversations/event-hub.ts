import { EventEmitter } from "node:events";
import type { Note } from "../protocol/agent-events.ts";
import type { AnswerDelta, ConversationEvent } from "../protocol/conversation-events.ts";

export type TypingSignal = { conversationId: string; author: "shopper" | "bot" | "agent"; isTyping: boolean };

type HubEvents = { event: [ConversationEvent]; delta: [AnswerDelta]; typing: [TypingSignal]; note: [Note] };

/**
 * In-process fan-out of persisted conversation events, live answer deltas and ephemeral typing signals to the
 * gateways. Cross-instance delivery is the socket.io adapter's job, not this hub's.
 */
export class EventHub extends EventEmitter<HubEvents> {}
