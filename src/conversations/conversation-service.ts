import { randomBytes, randomUUID } from "node:crypto";
import type { Answerer } from "../answering/answerer.ts";
import type { ProductCatalog } from "../catalog/product-catalog.ts";
import { AppError, isAppError, refusal } from "../errors.ts";
import { decideOnMessage } from "../escalation/escalation-policy.ts";
import type { Logger } from "../logger.ts";
import type { AnswerFeedback } from "../protocol/chat-events.ts";
import type { AnswerFeedbackPayload, ContactLeavePayload, ConversationStartPayload, Locale, MessageSendPayload } from "../protocol/chat-payloads.ts";
import type { ConversationEvent, EventBody, LiveAnswer } from "../protocol/conversation-events.ts";
import { hashToken } from "../tokens.ts";
import type { AgentAvailability } from "./agent-availability.ts";
import type { ConversationSummary } from "../protocol/agent-events.ts";
import type { BotQueueStats } from "./bot-queue.ts";
import { BotTurns, type AnswerBudget } from "./bot-turns.ts";
import { languageOf } from "../text/segment.ts";
import type { ConversationRecord, ConversationStore, Handoff } from "./conversation-store.ts";
import type { EventHub } from "./event-hub.ts";
import { LiveAnswers } from "./live-answers.ts";
import type { Coordination } from "../coordination/coordination.ts";
import { noticeText } from "./notices.ts";
import type { TurnWorker } from "./turn-work.ts";
import type { TurnPhaseRecorder } from "./turn-phases.ts";
import type { ShoppingAnswers } from "./turn-request.ts";


export type ConversationServiceDeps = {
  /** Discovery, comparison and related products from the catalog, asked before retrieval. */
  shopping?: ShoppingAnswers;
  store: ConversationStore;
  hub: EventHub;
  /** A bot turn's shopping check, retrieval and assessment of its evidence (the search workers, off the event loop). */
  turns: TurnWorker;
  /** The page product's typed facts, answered first. */
  catalog: ProductCatalog;
  answerer: Answerer;
  availability: AgentAvailability;
  /** Shared with the other servers: stop signals and which server runs each bot turn. */
  coordination: Coordination;
  /** Resolves when the knowledge base is ready to answer. */
  knowledgeReady: Promise<void>;
  limits: { maxMessageChars: number; topK: number };
  /** What the bot may spend; over it the shopper is offered a person. Unlimited when absent. */
  budget?: AnswerBudget;
  /** Bot turns at once, waiting turns before new messages are refused, and when a wait earns a "busy" notice. */
  botQueue: { concurrency: number; limit: number; busyNoticeMs: number };
  handoff: { threshold: number; businessHours: string };
  /** Where the parts of each bot turn before its first shown text are reported (the metrics). */
  turnPhases?: TurnPhaseRecorder;
  logger: Logger;
  clock?: () => Date;
};

export type StartedConversation = { conversation: ConversationRecord; resumeToken: string; events: ConversationEvent[]; streaming: LiveAnswer[] };

/**
 * The shopper side of a conversation, free of any transport: start or resume, accept messages
 * exactly once, let the bot answer while it owns the conversation, and hand it to a person when
 * the bot should not answer. Every event is persisted before it is published; ownership changes
 * are compare-and-set in the store, so the bot can never speak once a person owns the conversation.
 */
export class ConversationService {
  readonly #deps: ConversationServiceDeps;
  readonly #clock: () => Date;
  /** The text of answers while they stream: live only, never stored until the answer ends. */
  readonly #live = new LiveAnswers();
  /** The bot's turns: queued, run, stopped, and recovered after a server stopped. */
  readonly bot: BotTurns;

  constructor(deps: ConversationServiceDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? (() => new Date());
    this.bot = new BotTurns({
      ...(deps.shopping ? { shopping: deps.shopping } : {}),
      store: deps.store,
      hub: deps.hub,
      turns: deps.turns,
      catalog: deps.catalog,
      answerer: deps.answerer,
      coordination: deps.coordination,
      knowledgeReady: deps.knowledgeReady,
      topK: deps.limits.topK,
      threshold: deps.handoff.threshold,
      ...(deps.budget ? { budget: deps.budget } : {}),
      queue: deps.botQueue,
      ...(deps.turnPhases ? { turnPhases: deps.turnPhases } : {}),
      live: this.#live,
      logger: deps.logger,
      append: (conversationId, body, options) => this.#append(conversationId, body, options),
      handOff: (conversationId, handoff, language) => this.handOff(conversationId, handoff, language),
      conversation: (conversationId) => this.#requireConversation(conversationId),
    });
  }

  /** Bot turns waiting and running now (for /healthz, logs and metrics). */
  get botQueue(): BotQueueStats {
    return this.bot.stats;
  }

  /**
   * Begin a conversation, or resume the one a token proves ownership of, with the events after
   * lastSeq and the text so far of an answer streaming now. subscribe is called once the
   * conversation is known and before anything is read, so the caller's live feed and what is
   * returned overlap instead of leaving a gap (clients keep each seq once and join deltas by offset).
   */
  async start(payload: ConversationStartPayload, subscribe?: (conversationId: string) => Promise<void> | void): Promise<StartedConversation> {
    const { store } = this.#deps;
    const now = this.#clock();
    let resumeToken = payload.resumeToken;
    let conversation: ConversationRecord | null;
    if (resumeToken) {
      conversation = await store.findConversationByTokenHash(hashToken(resumeToken));
      if (!conversation) throw new AppError("UNAUTHORIZED", "This conversation cannot be resumed: the resume token is not valid. Start a new conversation.");
      // A widget tells its page and language with every resume: written only when they changed.
      if ((payload.productId !== undefined && payload.productId !== conversation.productId) || (payload.locale !== undefined && payload.locale !== conversation.locale)) {
        await store.updateContext(conversation.id, { productId: payload.productId, locale: payload.locale }, now);
        conversation = (await store.getConversation(conversation.id))!;
      }
    } else {
      resumeToken = randomBytes(32).toString("base64url");
      conversation = await store.createConversation({
        id: randomUUID(),
        tokenHash: hashToken(resumeToken),
        productId: payload.productId ?? null,
        locale: payload.locale ?? null,
        now,
      });
    }
    await subscribe?.(conversation.id);
    const lastSeq = Math.min(payload.lastSeq ?? 0, conversation.lastSeq);
    const events = await store.listEvents(conversation.id, lastSeq);
    return { conversation, resumeToken, events, streaming: this.#live.snapshot(conversation.id) };
  }

  /** Answers of this conversation streaming now, with their text so far. */
  streaming(conversationId: string): LiveAnswer[] {
    return this.#live.snapshot(conversationId);
  }

  /** The hand-off queue: who is waiting, since when, why, with the evidence; longest waiting first. */
  listQueue(): Promise<ConversationSummary[]> {
    return this.#deps.store.listConversations({ states: ["waiting"], limit: 500 });
  }

  /**
   * Persist a shopper message exactly once per clientId and acknowledge it; what follows (reopening,
   * a hand-off, the bot's turn) happens after the acknowledgement, never in its path. When the bot's
   * queue is full a message for the bot is refused before it is stored (RATE_LIMITED: the widget
   * sends it again a little later), so nothing accepted is ever dropped.
   */
  async sendMessage(conversationId: string, payload: MessageSendPayload): Promise<{ seq: number; duplicate: boolean }> {
    const text = payload.text.trim();
    if (!text) throw new AppError("BAD_REQUEST", "The message is empty.");
    if ([...text].length > this.#deps.limits.maxMessageChars) {
      throw new AppError("PAYLOAD_TOO_LARGE", `The message is too long: at most ${this.#deps.limits.maxMessageChars} characters.`, {
        details: { maxChars: this.#deps.limits.maxMessageChars },
      });
    }
    const conversation = await this.#requireConversation(conversationId);
    const forBot = conversation.state === "bot" || conversation.state === "closed";
    // Asking for a person is taken even when the bot's queue is full; otherwise it is read after the ack.
    if (forBot && this.bot.full && !decideOnMessage(text)) {
      this.bot.refuse();
      throw refusal("RATE_LIMITED", "Many shoppers are asking right now. Your message will be sent again in a moment.", { details: { busy: true } });
    }
    const message = { type: "message", author: "shopper", text, clientId: payload.clientId, authorName: null } as const;
    const stored = this.#deps.store.appendEvent(conversationId, message, this.#clock());
    // While it is stored, a search worker starts on the turn of an answer from a model (the turn still waits for the ack).
    if (forBot) this.bot.prefetch(conversation, { clientId: payload.clientId, text }, stored);
    const { event, duplicate } = await stored;
    if (duplicate) return { seq: event.seq, duplicate };
    this.#deps.hub.emit("event", event);
    if (forBot) {
      this.#afterMessage(conversation, event).catch((error: unknown) =>
        this.#deps.logger.error({ err: error, conversationId }, "handling a message failed"),
      );
    }
    return { seq: event.seq, duplicate };
  }

  /** Reopen a closed conversation, then hand off at once (asking for a person, frustration) or queue the bot's turn. */
  async #afterMessage(conversation: ConversationRecord, event: ConversationEvent): Promise<void> {
    const conversationId = conversation.id;
    // Not in the acknowledgement's path: the ack leaves once the message is stored.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (conversation.state === "closed") {
      try {
        await this.#append(conversationId, { type: "state-changed", state: "bot", reason: "shopper-returned", by: null }, { expectStates: ["closed"] });
      } catch (error) {
        if (!isAppError(error, "CONFLICT")) throw error;
      }
    }
    if (event.type !== "message") return;
    // Acted on at once, even while an answer streams.
    const handoffReason = decideOnMessage(event.text);
    if (handoffReason) await this.handOff(conversationId, { reason: handoffReason, question: event.text, confidence: null, passages: [], draft: null }, languageOf(event.text, conversation.locale));
    else this.bot.push(conversationId, event);
  }

  /** Contact details left for the team; always kept, whatever the state. */
  async leaveContact(conversationId: string, contact: ContactLeavePayload): Promise<{ seq: number }> {
    const conversation = await this.#requireConversation(conversationId);
    const event = await this.#append(conversationId, {
      type: "contact",
      name: contact.name ?? null,
      email: contact.email ?? null,
      phone: contact.phone ?? null,
      message: contact.message ?? null,
    });
    await this.#append(conversationId, { type: "notice", code: "contact-received", text: noticeText("contact-received", languageOf(contact.message ?? "", conversation.locale)) });
    return { seq: event.seq };
  }

  async setPage(conversationId: string, productId: string | null, locale?: Locale): Promise<void> {
    await this.#deps.store.updateContext(conversationId, { productId, locale }, this.#clock());
  }

  typing(conversationId: string, isTyping: boolean): void {
    this.#deps.hub.emit("typing", { conversationId, author: "shopper", isTyping });
  }

  /**
   * Move a conversation from the bot to the queue, stopping any answer in flight, and tell the
   * shopper whether a person can pick it up now. False when the bot did not own it any more.
   */
  async handOff(conversationId: string, handoff: Handoff, language: "zh" | "en"): Promise<boolean> {
    this.stopBot(conversationId);
    try {
      await this.#append(conversationId, { type: "state-changed", state: "waiting", reason: handoff.reason, by: null }, { expectBot: true, handoff });
    } catch (error) {
      if (isAppError(error, "CONFLICT")) return false;
      throw error;
    }
    this.#deps.logger.info({ conversationId, reason: handoff.reason, confidence: handoff.confidence?.score }, "handed off");
    // The bot cannot answer for a technical reason: the shopper is told so, the same way for both.
    if (handoff.reason === "llm-unavailable" || handoff.reason === "search-unavailable") {
      await this.#append(conversationId, { type: "notice", code: "llm-unavailable", text: noticeText("llm-unavailable", language) });
    }
    const availability = this.#deps.availability.check(this.#clock());
    const code = availability.available ? "handoff-queued" : availability.reason;
    await this.#append(conversationId, { type: "notice", code, text: noticeText(code, language, { hours: this.#deps.handoff.businessHours }) });
    return true;
  }

  /** Stop the bot's answer in flight, if any, on whichever server it streams (a person took the conversation). */
  stopBot(conversationId: string): void {
    this.bot.stop(conversationId);
  }

  /**
   * Stop taking bot turns; wait for the running ones up to graceMs, then stop them. Turns still
   * waiting are not lost: their messages are stored unanswered, and recover() answers them on start.
   */
  close(graceMs: number): Promise<void> {
    return this.bot.close(graceMs);
  }

  async #requireConversation(conversationId: string): Promise<ConversationRecord> {
    const conversation = await this.#deps.store.getConversation(conversationId);
    if (!conversation) throw new AppError("NOT_FOUND", "This conversation does not exist.");
    return conversation;
  }

  async #append(conversationId: string, body: EventBody, options: { expectBot?: boolean; expectStates?: ConversationRecord["state"][]; handoff?: Handoff } = {}): Promise<ConversationEvent> {
    const { event } = await this.#deps.store.appendEvent(conversationId, body, this.#clock(), {
      ...(options.expectBot ? { expectedStates: ["bot"] } : {}),
      ...(options.expectStates ? { expectedStates: options.expectStates } : {}),
      ...(options.handoff ? { handoff: options.handoff } : {}),
    });
    this.#deps.hub.emit("event", event);
    return event;
  }

  /** Store a shopper's thumbs up or down with one of this conversation's bot answers. */
  async rateAnswer(conversationId: string, payload: AnswerFeedbackPayload): Promise<AnswerFeedback> {
    const rated = await this.#deps.store.rateAnswer(conversationId, payload.answerId, payload.rating, this.#clock());
    if (!rated) throw new AppError("NOT_FOUND", "There is no finished answer with this id in this conversation.");
    return rated;
  }

  /** The shopper's ratings of this conversation's answers. */
  listFeedback(conversationId: string): Promise<AnswerFeedback[]> {
    return this.#deps.store.listFeedback(conversationId);
  }
}
