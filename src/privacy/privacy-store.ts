/** Everything stored about one conversation, as an export gives it to the shopper or an admin. */
export type ConversationExport = {
  conversation: Record<string, unknown>;
  events: Record<string, unknown>[];
  handoffs: Record<string, unknown>[];
  notes: Record<string, unknown>[];
  agentActions: Record<string, unknown>[];
  feedback: Record<string, unknown>[];
};

/** A deletion as recorded: who, when, why and how many, never what was deleted. */
export type DeletionRecord = { id: string; at: string; by: string; reason: "request" | "retention"; conversations: number; conversationIds: string[] };

/**
 * Shoppers' data across the conversation tables: find a shopper's conversations (by id, or by an
 * email they left as contact or wrote in a message), export them whole, delete them whole, and
 * keep the log of deletions.
 */
export interface PrivacyStore {
  conversationsByEmail(email: string): Promise<string[]>;
  /** Ids of these conversations that exist. */
  existing(ids: readonly string[]): Promise<string[]>;
  exportConversations(ids: readonly string[]): Promise<ConversationExport[]>;
  /** Delete conversations with their events, hand-offs, notes, actions and ratings; how many. */
  deleteConversations(ids: readonly string[]): Promise<number>;
  /** Up to `limit` conversations with no activity since `before`. */
  inactiveSince(before: string, limit: number): Promise<string[]>;
  recordDeletion(record: DeletionRecord): Promise<void>;
  listDeletions(limit: number): Promise<DeletionRecord[]>;
  close(): Promise<void>;
}
