import type { ConversationEvent, ConversationState } from "../../../../src/protocol/conversation-events.ts";
import type { Outgoing } from "./outbox.ts";
import type { Rating } from "./ratings.ts";

export type Connection = "connecting" | "online" | "offline";

/** What the chat panel shows: the client's state at one moment, a new object after every change. */
export type ChatView = {
  connection: Connection;
  conversationId: string | null;
  state: ConversationState;
  /** Every durable event once, in seq order. */
  events: readonly ConversationEvent[];
  /** The text so far of answers streaming now, by answer id (live, joined from deltas by offset). */
  live: ReadonlyMap<string, string>;
  outbox: readonly Outgoing[];
  typing: { bot: boolean; agent: boolean };
  ratings: Readonly<Record<string, Rating>>;
};
