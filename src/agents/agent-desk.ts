import { randomUUID } from "node:crypto";
import type { ConversationService } from "../conversations/conversation-service.ts";
import type { AppendOptions, ConversationStore } from "../conversations/conversation-store.ts";
import type { EventHub } from "../conversations/event-hub.ts";
import { noticeText } from "../conversations/notices.ts";
import { AppError } from "../errors.ts";
import type { AgentProfile, ConversationDetail, ConversationSummary, Note } from "../protocol/agent-events.ts";
import type { ConversationListPayload } from "../protocol/agent-payloads.ts";
import type { ConversationState, EventBody } from "../protocol/conversation-events.ts";

type Agent = Pick<AgentProfile, "id" | "name">;

const FILTER_STATES: Record<ConversationListPayload["filter"], ConversationState[] | undefined> = {
  all: undefined,
  waiting: ["waiting"],
  mine: ["agent"],
  bot: ["bot"],
  agent: ["agent"],
  closed: ["closed"],
};

/**
 * What agents do with conversations, free of any transport. Ownership moves by compare-and-set
 * in the store: of two agents taking over at once exactly one wins, and only the owner replies.
 * Every action is recorded with who did it.
 */
export class AgentDesk {
  readonly #store: ConversationStore;
  readonly #hub: EventHub;
  readonly #service: ConversationService;
  readonly #clock: () => Date;

  constructor(deps: { store: ConversationStore; hub: EventHub; service: ConversationService; clock?: () => Date }) {
    this.#store = deps.store;
    this.#hub = deps.hub;
    this.#service = deps.service;
    this.#clock = deps.clock ?? (() => new Date());
  }

  list(agent: Agent, query: ConversationListPayload): Promise<ConversationSummary[]> {
    return this.#store.listConversations({
      ...(FILTER_STATES[query.filter] ? { states: FILTER_STATES[query.filter] } : {}),
      ...(query.filter === "mine" ? { assignedTo: agent.id } : {}),
      ...(query.search ? { search: query.search } : {}),
      limit: query.limit,
    });
  }

  /** The conversation for an agent who opens it: events after afterSeq, notes, actions, and an answer streaming now. */
  async detail(conversationId: string, afterSeq = 0): Promise<ConversationDetail> {
    const summary = await this.#summary(conversationId);
    const [events, notes, actions] = await Promise.all([
      this.#store.listEvents(conversationId, afterSeq),
      this.#store.listNotes(conversationId),
      this.#store.listActions(conversationId),
    ]);
    return { summary, events, streaming: this.#service.streaming(conversationId), notes, actions };
  }

  /** The one row of the live list (what a change to a conversation sends agents); NOT_FOUND if unknown. */
  summary(conversationId: string): Promise<ConversationSummary> {
    return this.#summary(conversationId);
  }

  async takeOver(conversationId: string, agent: Agent): Promise<ConversationSummary> {
    await this.#requireOpen(conversationId);
    // The bot is stopped by the state change itself (its next write fails); aborting just stops it sooner.
    await this.#append(conversationId, { type: "state-changed", state: "agent", reason: "agent-took-over", by: agent.name }, {
      expectedStates: ["bot", "waiting"],
      assign: agent,
      action: { agentId: agent.id, agentName: agent.name, action: "take-over" },
    });
    this.#service.stopBot(conversationId);
    return this.#summary(conversationId);
  }

  async reply(conversationId: string, agent: Agent, input: { clientId: string; text: string }): Promise<{ seq: number; duplicate: boolean }> {
    await this.#requireOpen(conversationId);
    const { event, duplicate } = await this.#store.appendEvent(
      conversationId,
      { type: "message", author: "agent", text: input.text, clientId: `agent:${agent.id}:${input.clientId}`, authorName: agent.name },
      this.#clock(),
      { expectedStates: ["agent"], expectedAgentId: agent.id, action: { agentId: agent.id, agentName: agent.name, action: "reply" } },
    );
    if (!duplicate) this.#hub.emit("event", event);
    return { seq: event.seq, duplicate };
  }

  async addNote(conversationId: string, agent: Agent, text: string): Promise<Note> {
    await this.#summary(conversationId);
    const note: Note = { id: randomUUID(), conversationId, agentId: agent.id, agentName: agent.name, text, at: this.#clock().toISOString() };
    await this.#store.addNote(note);
    this.#hub.emit("note", note);
    return note;
  }

  /** Back to the bot, which answers the next shopper message with the whole conversation as context. */
  async handBack(conversationId: string, agent: Agent): Promise<ConversationSummary> {
    const summary = await this.#requireOpen(conversationId);
    await this.#append(conversationId, { type: "state-changed", state: "bot", reason: "agent-handed-back", by: agent.name }, {
      expectedStates: summary.state === "agent" ? ["agent"] : ["waiting"],
      ...(summary.state === "agent" ? { expectedAgentId: agent.id } : {}),
      assign: null,
      action: { agentId: agent.id, agentName: agent.name, action: "hand-back" },
    });
    return this.#summary(conversationId);
  }

  async close(conversationId: string, agent: Agent): Promise<ConversationSummary> {
    const summary = await this.#requireOpen(conversationId);
    await this.#append(conversationId, { type: "state-changed", state: "closed", reason: "agent-closed", by: agent.name }, {
      expectedStates: [summary.state],
      ...(summary.state === "agent" ? { expectedAgentId: agent.id } : {}),
      assign: null,
      action: { agentId: agent.id, agentName: agent.name, action: "close" },
    });
    this.#service.stopBot(conversationId);
    await this.#append(conversationId, { type: "notice", code: "conversation-closed", text: noticeText("conversation-closed", summary.locale ?? "en") }, {});
    return this.#summary(conversationId);
  }

  async #append(conversationId: string, body: EventBody, options: AppendOptions): Promise<void> {
    const { event } = await this.#store.appendEvent(conversationId, body, this.#clock(), options);
    this.#hub.emit("event", event);
  }

  async #summary(conversationId: string): Promise<ConversationSummary> {
    const summary = await this.#store.getSummary(conversationId);
    if (!summary) throw new AppError("NOT_FOUND", "This conversation does not exist.");
    return summary;
  }

  async #requireOpen(conversationId: string): Promise<ConversationSummary> {
    const summary = await this.#summary(conversationId);
    if (summary.state === "closed") throw new AppError("INVALID_STATE", "This conversation is closed.");
    return summary;
  }
}
