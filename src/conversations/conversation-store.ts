import type { Locale } from "../protocol/chat-payloads.ts";
import type { AnswerFeedback } from "../protocol/chat-events.ts";
import type { AgentAction, ConversationSummary, Note } from "../protocol/agent-events.ts";
import type { Citation, ConfidenceReport, ConversationEvent, ConversationState, EventBody } from "../protocol/conversation-events.ts";

export type ConversationRecord = {
  id: string;
  state: ConversationState;
  productId: string | null;
  locale: Locale | null;
  lastSeq: number;
  createdAt: string;
  updatedAt: string;
};

/** Why a conversation went to the queue, with the evidence an agent needs to pick it up. */
export type Handoff = {
  reason: string;
  question: string | null;
  confidence: ConfidenceReport | null;
  passages: Citation[];
  draft: string | null;
};

export type ConversationFilter = { states?: readonly ConversationState[]; assignedTo?: string; search?: string; limit: number };

export type AppendOptions = {
  /** Append only if the conversation is in one of these states (compare-and-set); CONFLICT otherwise. */
  expectedStates?: readonly ConversationState[];
  /** Record this hand-off in the same transaction (with a state-changed event to "waiting"). */
  handoff?: Handoff;
  /** Append only if this agent is the one assigned (compare-and-set on ownership); FORBIDDEN otherwise. */
  expectedAgentId?: string;
  /** Assign the conversation to this agent (null: to nobody) in the same transaction. */
  assign?: { id: string; name: string } | null;
  /** Record an agent action (with who did it) in the same transaction. */
  action?: { agentId: string; agentName: string; action: string };
};

export type Appended = { event: ConversationEvent; duplicate: boolean };

/**
 * Where conversations and their durable events live. Implementations persist an event durably
 * before resolving appendEvent, assign seq without gaps, make a message with a known clientId a
 * duplicate instead of a second row, and apply in the same transaction what an event changes on
 * the conversation: its state (state-changed), its open answer (answer-start until answer-end),
 * its last message and whether a contact was left (so a summary never reads the whole history).
 * Streaming answer text is never stored here: only answer-start and answer-end with the whole text.
 */
export interface ConversationStore {
  createConversation(input: { id: string; tokenHash: string; productId: string | null; locale: Locale | null; now: Date }): Promise<ConversationRecord>;
  findConversationByTokenHash(tokenHash: string): Promise<ConversationRecord | null>;
  getConversation(id: string): Promise<ConversationRecord | null>;
  updateContext(id: string, context: { productId?: string | null; locale?: Locale | null }, now: Date): Promise<void>;
  appendEvent(conversationId: string, body: EventBody, now: Date, options?: AppendOptions): Promise<Appended>;
  /** Events with seq > afterSeq, oldest first, at most limit of them. */
  listEvents(conversationId: string, afterSeq: number, limit?: number): Promise<ConversationEvent[]>;
  /**
   * What a restart has to finish: the answer-start of every answer that started and never ended
   * (the process stopped mid-answer; in any state), and every shopper message no answer was started
   * for in the conversations the bot owns, sent since the bot last took the conversation (its last
   * state change), oldest first; with messagesSince, only messages of conversations active since then.
   */
  listPendingReplies(messagesSince?: Date): Promise<ConversationEvent[]>;
  /** The answer-start of the conversation's answer that started and has not ended, if any. */
  getOpenAnswer(conversationId: string): Promise<(ConversationEvent & { type: "answer-start" }) | null>;
  /** Summaries for the agent side: waiting ones first (longest waiting first), then most recently active. */
  listConversations(filter: ConversationFilter): Promise<ConversationSummary[]>;
  getSummary(id: string): Promise<ConversationSummary | null>;
  /** Questions handed off for these reasons, newest first: the raw material of the knowledge-gap list. */
  listHandoffQuestions(reasons: readonly string[], limit: number): Promise<{ conversationId: string; question: string; reason: string; at: string }[]>;
  /** Shopper questions the bot answered to the end, newest first: the past questions a regression check replays. */
  listAnsweredQuestions(limit: number): Promise<{ question: string; productId: string | null }[]>;
  addNote(note: Note): Promise<void>;
  listNotes(conversationId: string): Promise<Note[]>;
  listActions(conversationId: string): Promise<AgentAction[]>;
  /**
   * Store a shopper's rating of a bot answer of this conversation, replacing an earlier one.
   * Null when the conversation has no finished answer with that id.
   */
  rateAnswer(conversationId: string, answerId: string, rating: AnswerFeedback["rating"], now: Date): Promise<AnswerFeedback | null>;
  /** The ratings of a conversation's answers, oldest rating first. */
  listFeedback(conversationId: string): Promise<AnswerFeedback[]>;
  close(): Promise<void>;
}
