import { EventEmitter } from "node:events";
import type { Note } from "../protocol/agent-events.ts";
import type { ConversationEvent } from "../protocol/conversation-events.ts";

export type TypingSignal = { conversationId: string; author: "shopper" | "bot" | "agent"; isTyping: boolean };

type HubEvents = { event: [ConversationEvent]; typing: [TypingSignal]; note: [Note] };

/**
 * In-process fan-out of persisted conversation events and ephemeral typing signals to the
 * gateways. Cross-instance delivery is the socket.io adapter's job, not this hub's.
 */
export class EventHub extends EventEmitter<HubEvents> {}
