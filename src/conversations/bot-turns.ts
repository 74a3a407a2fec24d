import type { Answerer } from "../answering/answerer.ts";
import type { ProductCatalog } from "../catalog/product-catalog.ts";
import type { Logger } from "../logger.ts";
import type { ConversationEvent, EventBody } from "../protocol/conversation-events.ts";
import { languageOf } from "../text/segment.ts";
import { BotQueue, type BotQueueStats } from "./bot-queue.ts";
import { runBotTurn, type BotTurnContext } from "./bot-turn.ts";
import type { Appended, ConversationRecord, ConversationStore, Handoff } from "./conversation-store.ts";
import type { EventHub } from "./event-hub.ts";
import type { LiveAnswers } from "./live-answers.ts";
import { isOwed, OwedReplies, readAround } from "./owed-replies.ts";
import { TURN_WAIT_MS, type Coordination } from "../coordination/coordination.ts";
import { noticeText } from "./notices.ts";
import type { TurnWorker } from "./turn-work.ts";
import { TurnPhases, type TurnPhaseRecorder } from "./turn-phases.ts";
import { TurnPrefetch } from "./turn-prefetch.ts";
import { HISTORY_EVENTS, type ShoppingAnswers } from "./turn-request.ts";

/** Runs a bot answer within the bot's budget: false, without running it, when the budget is spent. */
export interface AnswerBudget {
  run(work: () => Promise<void>): Promise<boolean>;
}

/** What running bot turns needs; append, handOff and conversation are the conversation service's own. */
export type BotTurnsDeps = {
  /** Discovery, comparison and related products from the catalog, asked before retrieval. */
  shopping?: ShoppingAnswers;
  store: ConversationStore;
  hub: EventHub;
  /** A bot turn's shopping check, retrieval and assessment of its evidence (the search workers, off the event loop). */
  turns: TurnWorker;
  /** The page product's typed facts, answered first. */
  catalog: ProductCatalog;
  answerer: Answerer;
  /** Shared with the other servers: stop signals and which server runs each bot turn. */
  coordination: Coordination;
  /** Resolves when the knowledge base is ready to answer. */
  knowledgeReady: Promise<void>;
  topK: number;
  threshold: number;
  /** What the bot may spend; over it the shopper is offered a person. Unlimited when absent. */
  budget?: AnswerBudget;
  /** Bot turns at once, waiting turns before new messages are refused, and when a wait earns a "busy" notice. */
  queue: { concurrency: number; limit: number; busyNoticeMs: number };
  /** Where the parts of each bot turn before its first shown text are reported (the metrics). */
  turnPhases?: TurnPhaseRecorder;
  /** The text of answers while they stream, shared with the service that shows it to a resuming shopper. */
  live: LiveAnswers;
  logger: Logger;
  /** Persist an event, then publish it. */
  append: (conversationId: string, body: EventBody, options?: { expectBot?: boolean }) => Promise<ConversationEvent>;
  /** Move a conversation from the bot to the queue and tell the shopper. */
  handOff: (conversationId: string, handoff: Handoff, language: "zh" | "en") => Promise<boolean>;
  /** The conversation as stored now; NOT_FOUND when there is none. */
  conversation: (conversationId: string) => Promise<ConversationRecord>;
};

/**
 * The bot's side of conversations: its turns queued and run (bounded, one at a time per
 * conversation, only by the holder of the conversation's turn), answers stopped on any server
 * when a person takes over, and what the bot still owes after a server stopped answered again.
 */
export class BotTurns {
  readonly #deps: BotTurnsDeps;
  /** Bot turns: bounded, oldest first, one at a time per conversation, never in an acknowledgement's path. */
  readonly #queue: BotQueue<ConversationEvent>;
  readonly #answering = new Map<string, AbortController>();
  readonly #turnContext: BotTurnContext;
  readonly #owed: OwedReplies;

  constructor(deps: BotTurnsDeps) {
    this.#deps = deps;
    this.#queue = new BotQueue({
      concurrency: deps.queue.concurrency,
      limit: deps.queue.limit,
      longWaitMs: deps.queue.busyNoticeMs,
      run: (conversationId, question, waitedMs) => this.#botTurn(conversationId, question, waitedMs),
      onLongWait: (conversationId, question) => void this.#tellBusy(conversationId, question),
      logger: deps.logger,
    });
    const sources = { store: deps.store, turns: deps.turns, catalog: deps.catalog, ...(deps.shopping ? { shopping: deps.shopping } : {}), topK: deps.topK, threshold: deps.threshold };
    this.#turnContext = {
      ...sources,
      prefetch: new TurnPrefetch({ ...sources, knowledgeReady: deps.knowledgeReady }),
      hub: deps.hub,
      answerer: deps.answerer,
      live: deps.live,
      append: deps.append,
      handOff: deps.handOff,
    };
    this.#owed = new OwedReplies({
      store: deps.store,
      coordination: deps.coordination,
      logger: deps.logger,
      closeInterrupted: async (start) => {
        await deps.append(start.conversationId, { type: "answer-end", answerId: start.answerId, status: "interrupted", text: "", citations: [], confidence: null, knowledgeVersion: 0 });
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
  get stats(): BotQueueStats {
    return this.#queue.stats;
  }

  /** Whether no more turns may wait: a new message for the bot is refused before it is stored. */
  get full(): boolean {
    return this.#queue.full;
  }

  /** Count a message refused because the queue was full. */
  refuse(): void {
    this.#queue.refuse();
  }

  /**
   * A message for the bot is being stored (stored: its append): when its turn would start at once,
   * a search worker starts on the turn of an answer from a model (the turn still waits for the ack).
   */
  prefetch(conversation: ConversationRecord, message: { clientId: string; text: string }, stored: Promise<Appended>): void {
    if (this.#deps.answerer.kind === "llm" && this.#queue.startsAtOnce(conversation.id)) this.#turnContext.prefetch.begin(conversation, message, languageOf(message.text, conversation.locale), stored);
  }

  /** Queue the bot's turn for this shopper message. */
  push(conversationId: string, question: ConversationEvent): void {
    this.#queue.push(conversationId, question);
  }

  /** Stop the bot's answer in flight, if any, on whichever server it streams (a person took the conversation). */
  stop(conversationId: string): void {
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

  /** A shopper whose answer has waited long is told, once, in their language, that it is coming. */
  async #tellBusy(conversationId: string, question: ConversationEvent): Promise<void> {
    if (question.type !== "message") return;
    const conversation = await this.#deps.store.getConversation(conversationId);
    if (conversation?.state !== "bot") return;
    await this.#deps.append(conversationId, { type: "notice", code: "bot-busy", text: noticeText("bot-busy", languageOf(question.text, conversation.locale)) }).catch((error: unknown) =>
      this.#deps.logger.warn({ err: error, conversationId }, "busy notice failed"),
    );
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
    const conversation = await this.#deps.conversation(conversationId);
    if (conversation.state !== "bot") return;
    const language = languageOf(question.text, conversation.locale);
    await this.#deps.append(conversationId, { type: "notice", code: "bot-budget", text: noticeText("bot-budget", language) });
    await this.#deps.handOff(conversationId, { reason: "bot-budget", question: question.text, confidence: null, passages: [], draft: null }, language);
  }

  async #answer(conversationId: string, question: ConversationEvent & { type: "message" }, earlier: readonly ConversationEvent[], phases: TurnPhases): Promise<void> {
    const conversation = await this.#deps.conversation(conversationId);
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
}
