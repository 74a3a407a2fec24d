import type { Locale } from "../protocol/chat-payloads.ts";
import type { ConversationSummary, HandoffEvidence } from "../protocol/agent-events.ts";
import type { ConversationEvent, ConversationState, EventBody } from "../protocol/conversation-events.ts";
import type { ConversationRecord } from "./conversation-store.ts";

/**
 * Rows as both conversation stores read them, turned into domain records. Times are ISO strings;
 * JSON columns come as text (SQLite) or already parsed (Postgres jsonb).
 */
export type ConversationRow = {
  id: string;
  state: string;
  product_id: string | null;
  locale: string | null;
  last_seq: number;
  created_at: string;
  updated_at: string;
};

type Json = string | object;

export type EventRow = { conversation_id: string; seq: number; body: Json; at: string };

export type SummaryRow = ConversationRow & {
  assigned_agent_id: string | null;
  assigned_agent_name: string | null;
  last_message: string | null;
  last_message_at: string | null;
  contact_left: number | boolean;
  reason: string | null;
  question: string | null;
  confidence: Json | null;
  passages: Json | null;
  draft: string | null;
  handoff_at: string | null;
};

function parse<T>(value: Json): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

export function toConversation(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    state: row.state as ConversationState,
    productId: row.product_id,
    locale: row.locale as Locale | null,
    lastSeq: row.last_seq,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toEvent(row: EventRow): ConversationEvent {
  return { ...parse<EventBody>(row.body), conversationId: row.conversation_id, seq: row.seq, at: row.at };
}

export function toSummary(row: SummaryRow): ConversationSummary {
  const conversation = toConversation(row);
  const handoff: HandoffEvidence | null = row.reason === null ? null : {
    reason: row.reason,
    question: row.question,
    confidence: row.confidence ? parse(row.confidence) : null,
    passages: row.passages ? parse(row.passages) : [],
    draft: row.draft,
    at: row.handoff_at!,
  };
  return {
    id: conversation.id,
    state: conversation.state,
    productId: conversation.productId,
    locale: conversation.locale,
    lastMessage: row.last_message,
    lastMessageAt: row.last_message_at,
    updatedAt: conversation.updatedAt,
    createdAt: conversation.createdAt,
    waitingSince: conversation.state === "waiting" ? (row.handoff_at ?? conversation.updatedAt) : null,
    handoff,
    assignedAgent: row.assigned_agent_id ? { id: row.assigned_agent_id, name: row.assigned_agent_name ?? "" } : null,
    contactLeft: Boolean(row.contact_left),
  };
}
