import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Answerer } from "../answering/answerer.ts";
import type { ProductCatalog } from "../catalog/product-catalog.ts";
import { AppError, isAppError, refusal } from "../errors.ts";
import { decideOnMessage } from "../escalation/escalation-policy.ts";
import type { Logger } from "../logger.ts";
import type { AnswerFeedback } from "../protocol/chat-events.ts";
import type { AnswerFeedbackPayload, ContactLeavePayload, ConversationStartPayload, Locale, MessageSendPayload } from "../protocol/chat-payloads.ts";
import type { ConversationEvent, EventBody, LiveAnswer } from "../protocol/conversation-events.ts";
import { detectLanguage } from "../text/segment.ts";
import type { AgentAvailability } from "./agent-availability.ts";
import type { ConversationSummary } from "../protocol/agent-events.ts";
import { BotQueue, type BotQueueStats } from "./bot-queue.ts";
import { runBotTurn, type BotTurnContext } from "./bot-turn.ts";
import type { ConversationRecord, ConversationStore, Handoff } from "./conversation-store.ts";
import type { EventHub } from "./event-hub.ts";
import { LiveAnswers } from "./live-answers.ts";
import { isOwed, OwedReplies, readAround } from "./owed-replies.ts";
import { TURN_WAIT_MS, type Coordination } from "../coordination/coordination.ts";
import { noticeText } from "./notices.ts";
import type { TurnWorker } from "./turn-work.ts";
import { TurnPhases, type TurnPhaseRecorder } from "./turn-phases.ts";
import { TurnPrefetch } from "./turn-prefetch.ts";
import { HISTORY_EVENTS, type ShoppingAnswers } from "./turn-request.ts";

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

/** Runs a bot answer within the bot's budget: false, without running it, when the budget is spent. */
export interface AnswerBudget {
  run(work: () => Promise<void>): Promise<boolean>;
}

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
  /** Bot turns: bounded, oldest first, one at a time per conversation, never in an acknowledgement's path. */
  readonly #queue: BotQueue<ConversationEvent>;
  readonly #answering = new Map<string, AbortController>();
  /** The text of answers while they stream: live only, never stored until the answer ends. */
  readonly #live = new LiveAnswers();
  readonly #turnContext: BotTurnContext;
  readonly #owed: OwedReplies;

  constructor(deps: ConversationServiceDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? (() => new Date());
    this.#queue = new BotQueue({
      concurrency: deps.botQueue.concurrency,
      limit: deps.botQueue.limit,
      longWaitMs: deps.botQueue.busyNoticeMs,
      run: (conversationId, question, waitedMs) => this.#botTurn(conversationId, question, waitedMs),
      onLongWait: (conversationId, question) => void this.#tellBusy(conversationId, question),
      logger: deps.logger,
    });
    const sources = { store: deps.store, turns: deps.turns, catalog: deps.catalog, ...(deps.shopping ? { shopping: deps.shopping } : {}), topK: deps.limits.topK, threshold: deps.handoff.threshold };
    this.#turnContext = {
      ...sources,
      prefetch: new TurnPrefetch({ ...sources, knowledgeReady: deps.knowledgeReady }),
      hub: deps.hub,
      answerer: deps.answerer,
      live: this.#live,
      append: (conversationId, body, options) => this.#append(conversationId, body, options),
      handOff: (conversationId, handoff, language) => this.handOff(conversationId, handoff, language),
    };
    this.#owed = new OwedReplies({
      store: deps.store,
      coordination: deps.coordination,
      logger: deps.logger,
      closeInterrupted: async (start) => {
        await this.#append(start.conversationId, { type: "answer-end", answerId: start.answerId, status: "interrupted", text: "", citations: [], confidence: null, knowledgeVersion: 0 });
        // The server that was answering said "typing" and died before it could say it stopped.
        deps.hub.emit("typing", { conversationId: start.conversationId, author: "bot", isTyping: false });
      },
      answer: (conversationId, question) => this.#queue.push(conversationId, question),
    });
    deps.coordination.onSignal((signal) => {
      if (signal.type === "stop-bot") this.#answering.get(signal.conversationId)?.abort();
    });
  }

  /** Bot turns waiting and running now (for /healthz, logs and metrics). */
  get botQueue(): BotQueueStats {
    return this.#queue.stats;
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
    if (forBot && this.#queue.full && !decideOnMessage(text)) {
      this.#queue.refuse();
      throw refusal("RATE_LIMITED", "Many shoppers are asking right now. Your message will be sent again in a moment.", { details: { busy: true } });
    }
    const message = { type: "message", author: "shopper", text, clientId: payload.clientId, authorName: null } as const;
    const stored = this.#deps.store.appendEvent(conversationId, message, this.#clock());
    // While it is stored, a search worker starts on the turn of an answer from a model (the turn still waits for the ack).
    if (forBot && this.#deps.answerer.kind === "llm" && this.#queue.startsAtOnce(conversationId)) this.#turnContext.prefetch.begin(conversation, { clientId: payload.clientId, text }, languageOf(text, conversation.locale), stored);
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
    else this.#queue.push(conversationId, event);
  }

  /** A shopper whose answer has waited long is told, once, in their language, that it is coming. */
  async #tellBusy(conversationId: string, question: ConversationEvent): Promise<void> {
    if (question.type !== "message") return;
    const conversation = await this.#deps.store.getConversation(conversationId);
    if (conversation?.state !== "bot") return;
    await this.#append(conversationId, { type: "notice", code: "bot-busy", text: noticeText("bot-busy", languageOf(question.text, conversation.locale)) }).catch((error: unknown) =>
      this.#deps.logger.warn({ err: error, conversationId }, "busy notice failed"),
    );
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
    this.#answering.get(conversationId)?.abort();
    void this.#deps.coordination.broadcast({ type: "stop-bot", conversationId });
  }

  /**
   * After a restart: close every answer cut off mid-stream as interrupted (its streamed text was
   * live only), then answer again what the bot still owes: the question of an interrupted answer,
   * and a shopper message left without a reply.
   */
  recover(): Promise<number> {
    return this.#owed.recover();
  }

  /** With several servers: take up every intervalMs what a dead server left (messages older than minAgeMs). */
  sweepEvery(intervalMs: number, minAgeMs: number): void {
    this.#owed.sweepEvery(intervalMs, minAgeMs);
  }

  /** Whether a bot answer is running or waiting for this conversation. */
  isAnswering(conversationId: string): boolean {
    return this.#queue.has(conversationId);
  }

  /**
   * Stop taking bot turns; wait for the running ones up to graceMs, then stop them. Turns still
   * waiting are not lost: their messages are stored unanswered, and recover() answers them on start.
   */
  async close(graceMs: number): Promise<void> {
    const timer = setTimeout(() => {
      for (const controller of this.#answering.values()) controller.abort();
    }, graceMs);
    await this.#owed.close();
    await this.#queue.close();
    clearTimeout(timer);
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

  /**
   * One bot turn, while the bot still owns the conversation; a hand-off or take-over aborts it.
   * Only the holder of the conversation's turn answers, and only a message still owed an answer:
   * exactly one turn per shopper message, whichever servers queued it.
   */
  async #botTurn(conversationId: string, question: ConversationEvent, waitedMs: number): Promise<void> {
    if (question.type !== "message") return;
    const phases = new TurnPhases(this.#deps.turnPhases, performance.now() - waitedMs);
    phases.mark("queue");
    await this.#deps.knowledgeReady;
    const lease = await this.#deps.coordination.claimTurn(conversationId, { waitMs: TURN_WAIT_MS });
    if (!lease) return;
    try {
      // A server that died mid-answer here left it open: close it and answer its question first.
      const cut = lease.checked ? await this.#owed.closeCutAnswer(conversationId) : null;
      if (cut?.question && cut.question.seq !== question.seq) {
        const around = await this.#readAround(cut.question);
        if (isOwed(cut.question, around.after)) await this.#budgetedAnswer(conversationId, cut.question, around.before, new TurnPhases(this.#deps.turnPhases, performance.now()));
      }
      const around = await this.#readAround(question);
      if (isOwed(question, around.after)) await this.#budgetedAnswer(conversationId, question, around.before, phases);
    } finally {
      await lease.release();
    }
  }

  /** Its history and whether it is still owed, in one read (the history as a turn reads it). */
  #readAround(question: ConversationEvent & { type: "message" }) {
    return readAround(this.#deps.store, question, Math.max(0, question.seq - HISTORY_EVENTS));
  }

  /** A bot answer within the budget; over it, the shopper is told so and offered a person. */
  async #budgetedAnswer(conversationId: string, question: ConversationEvent & { type: "message" }, earlier: readonly ConversationEvent[], phases: TurnPhases): Promise<void> {
    const budget = this.#deps.budget;
    if (!budget) return this.#answer(conversationId, question, earlier, phases);
    if (await budget.run(() => this.#answer(conversationId, question, earlier, phases))) return;
    const conversation = await this.#requireConversation(conversationId);
    if (conversation.state !== "bot") return;
    const language = languageOf(question.text, conversation.locale);
    await this.#append(conversationId, { type: "notice", code: "bot-budget", text: noticeText("bot-budget", language) });
    await this.handOff(conversationId, { reason: "bot-budget", question: question.text, confidence: null, passages: [], draft: null }, language);
  }

  async #answer(conversationId: string, question: ConversationEvent & { type: "message" }, earlier: readonly ConversationEvent[], phases: TurnPhases): Promise<void> {
    const conversation = await this.#requireConversation(conversationId);
    if (conversation.state !== "bot") return;
    const controller = new AbortController();
    this.#answering.set(conversationId, controller);
    this.#deps.hub.emit("typing", { conversationId, author: "bot", isTyping: true });
    try {
      await runBotTurn(this.#turnContext, { conversation, question, earlier }, languageOf(question.text, conversation.locale), controller, phases);
    } finally {
      this.#answering.delete(conversationId);
      this.#deps.hub.emit("typing", { conversationId, author: "bot", isTyping: false });
    }
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

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The language to answer in: the question's own, unless it has no letters to tell by. */
function languageOf(text: string, locale: Locale | null): "zh" | "en" {
  return /\p{L}/u.test(text) ? detectLanguage(text) : (locale ?? "en");
}
