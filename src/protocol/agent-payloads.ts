import { z } from "zod";

/** Inbound payloads of the agent namespace and the agent HTTP API. */
export const loginPayload = z.strictObject({
  email: z.email().max(200).transform((email) => email.toLowerCase()),
  password: z.string().min(1).max(200),
});
export type LoginPayload = z.infer<typeof loginPayload>;

export const CONVERSATION_FILTERS = ["all", "waiting", "mine", "bot", "agent", "closed"] as const;
export const conversationListPayload = z.strictObject({
  filter: z.enum(CONVERSATION_FILTERS).default("all"),
  /** Words to find in transcripts (any language). */
  search: z.string().trim().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ConversationListPayload = z.infer<typeof conversationListPayload>;
/** What a client may send: filter and limit have defaults. */
export type ConversationListQuery = z.input<typeof conversationListPayload>;

export const conversationRef = z.strictObject({ conversationId: z.string().uuid() });
export type ConversationRef = z.infer<typeof conversationRef>;

export const conversationWatchPayload = z.strictObject({
  conversationId: z.string().uuid(),
  /** Highest seq the client already has; only later events are sent (a re-watch after a reconnect). */
  afterSeq: z.number().int().min(0).default(0),
});
export type ConversationWatchPayload = z.input<typeof conversationWatchPayload>;

export const agentReplyPayload = z.strictObject({
  conversationId: z.string().uuid(),
  clientId: z.string().min(1).max(64),
  text: z.string().trim().min(1).max(4000),
});
export type AgentReplyPayload = z.infer<typeof agentReplyPayload>;

export const notePayload = z.strictObject({
  conversationId: z.string().uuid(),
  text: z.string().trim().min(1).max(4000),
});
export type NotePayload = z.infer<typeof notePayload>;

export const presencePayload = z.strictObject({ status: z.enum(["online", "away"]) });
export type PresencePayload = z.infer<typeof presencePayload>;

export const agentTypingPayload = z.strictObject({ conversationId: z.string().uuid(), isTyping: z.boolean() });
export type AgentTypingPayload = z.infer<typeof agentTypingPayload>;

const newPassword = z.string().min(10, "at least 10 characters").max(200);

export const createAgentPayload = z.strictObject({
  email: z.email().max(200).transform((email) => email.toLowerCase()),
  name: z.string().trim().min(1).max(100),
  password: newPassword,
  role: z.enum(["agent", "admin"]).default("agent"),
});
export type CreateAgentPayload = z.infer<typeof createAgentPayload>;

/** An agent changes their own password (the current one proves it is them). */
export const ownPasswordPayload = z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword });
export type OwnPasswordPayload = z.infer<typeof ownPasswordPayload>;

/** An admin sets another agent's password, or disables or enables the account. */
export const resetPasswordPayload = z.strictObject({ newPassword });
export const agentStatusPayload = z.strictObject({ disabled: z.boolean() });
