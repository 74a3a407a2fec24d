import type { AckCallback } from "./ack.ts";
import type { AgentReplyPayload, AgentTypingPayload, ConversationListQuery, ConversationRef, ConversationWatchPayload, NotePayload, PresencePayload } from "./agent-payloads.ts";
import type { Locale } from "./chat-payloads.ts";
import type { AnswerDelta, Citation, ConfidenceReport, ConversationEvent, ConversationState, LiveAnswer } from "./conversation-events.ts";

export type AgentRole = "agent" | "admin";

export type AgentProfile = { id: string; email: string; name: string; role: AgentRole };

/** Why the bot handed a conversation off, and what it had found. */
export type HandoffEvidence = {
  reason: string;
  question: string | null;
  confidence: ConfidenceReport | null;
  passages: Citation[];
  /** The bot's draft answer, when it had one: the agent can send it as is or edit it. */
  draft: string | null;
  at: string;
};

/** One row of the live conversation list. */
export type ConversationSummary = {
  id: string;
  state: ConversationState;
  productId: string | null;
  locale: Locale | null;
  lastMessage: string | null;
  lastMessageAt: string | null;
  updatedAt: string;
  createdAt: string;
  /** When it entered the queue; null unless waiting. */
  waitingSince: string | null;
  handoff: HandoffEvidence | null;
  assignedAgent: { id: string; name: string } | null;
  contactLeft: boolean;
};

/** An internal note: agents only, never sent to the shopper. */
export type Note = { id: string; conversationId: string; agentId: string; agentName: string; text: string; at: string };

/** A recorded agent action (take over, reply, note, hand back, close), with who did it. */
export type AgentAction = { conversationId: string; agentId: string; agentName: string; action: string; at: string };

export type ConversationDetail = {
  summary: ConversationSummary;
  /** Events after the afterSeq asked for (all of them for 0), oldest first. */
  events: ConversationEvent[];
  /** Answers streaming now with their text so far; live answer-delta events continue them. */
  streaming: LiveAnswer[];
  notes: Note[];
  actions: AgentAction[];
};

/** Events an agent's client sends on the /agent namespace (after logging in over HTTP). */
export interface AgentClientEvents {
  "conversation-list": (payload: ConversationListQuery, ack: AckCallback<ConversationSummary[]>) => void;
  /** History after afterSeq (all of it by default), then every new event of the conversation live (including streaming and typing). */
  "conversation-watch": (payload: ConversationWatchPayload, ack: AckCallback<ConversationDetail>) => void;
  "conversation-unwatch": (payload: ConversationRef, ack?: AckCallback<null>) => void;
  "conversation-take-over": (payload: ConversationRef, ack: AckCallback<ConversationSummary>) => void;
  "agent-reply": (payload: AgentReplyPayload, ack: AckCallback<{ seq: number; duplicate: boolean }>) => void;
  "note-add": (payload: NotePayload, ack: AckCallback<Note>) => void;
  "conversation-hand-back": (payload: ConversationRef, ack: AckCallback<ConversationSummary>) => void;
  "conversation-close": (payload: ConversationRef, ack: AckCallback<ConversationSummary>) => void;
  "presence-set": (payload: PresencePayload, ack?: AckCallback<{ onlineAgents: number }>) => void;
  typing: (payload: AgentTypingPayload) => void;
}

/** Events the server sends on the /agent namespace. */
export interface AgentServerEvents {
  /** A conversation changed (new message, state, hand-off): its new summary, for the live list. */
  "conversation-updated": (summary: ConversationSummary) => void;
  /** A conversation entered the queue: notify (sound, browser notification). */
  "handoff-new": (summary: ConversationSummary) => void;
  /** A durable event of a watched conversation. */
  "conversation-event": (event: ConversationEvent) => void;
  /** Live: the next piece of a streaming answer of a watched conversation. */
  "answer-delta": (delta: AnswerDelta) => void;
  "note-added": (note: Note) => void;
  typing: (payload: { conversationId: string; author: "shopper" | "bot" | "agent"; isTyping: boolean }) => void;
  /** The session ended (logged out, revoked or expired): log in again. */
  "session-ended": (payload: { reason: string }) => void;
}
