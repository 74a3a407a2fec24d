import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Answerer, Delivery, Turn } from "../answering/answerer.ts";
import type { Verdict } from "../answering/prompts.ts";
import { AppError, isAppError } from "../errors.ts";
import type { ProductCatalog } from "../catalog/product-catalog.ts";
import { assess } from "../escalation/assess.ts";
import { decideOnMessage, isRepeatedQuestion, isWeak, type AnswerDecision, type HandoffReason } from "../escalation/escalation-policy.ts";
import type { Logger } from "../logger.ts";
import type { AnswerFeedback } from "../protocol/chat-events.ts";
import type { AnswerFeedbackPayload, ContactLeavePayload, ConversationStartPayload, Locale, MessageSendPayload } from "../protocol/chat-payloads.ts";
import type { Citation, ConfidenceReport, ConversationEvent, EventBody } from "../protocol/conversation-events.ts";
import type { ProductCard, ProductComparison } from "../protocol/shopping.ts";
import type { RetrievedPassage, Retriever } from "../retrieval/retriever.ts";
import { contentWords, detectLanguage } from "../text/segment.ts";
import type { AgentAvailability } from "./agent-availability.ts";
import type { ConversationSummary } from "../protocol/agent-events.ts";
import type { ConversationRecord, ConversationStore, Handoff } from "./conversation-store.ts";
import type { EventHub } from "./event-hub.ts";
import { noticeText } from "./notices.ts";
import { RateLimiter } from "./rate-limiter.ts";

/** The shopping assistant as the conversation service uses it (src/shopping). */
export type ShoppingAnswers = {
  reply(request: { question: string; language: "zh" | "en"; pageSku: string | null; previousSkus: readonly string[] }): Promise<{ text: string; products: ProductCard[]; comparison: ProductComparison | null } | null>;
  shown(answerId: string, skus: readonly string[]): Promise<void>;
};

export type ConversationServiceDeps = {
  /** Discovery, comparison and related products from the catalog, asked before retrieval. */
  shopping?: ShoppingAnswers;
  store: ConversationStore;
  hub: EventHub;
  retriever: Retriever;
  /** The page product's typed facts, answered first. */
  catalog: ProductCatalog;
  answerer: Answerer;
  availability: AgentAvailability;
  /** Resolves when the knowledge base is ready to answer. */
  knowledgeReady: Promise<void>;
  limits: { maxMessageChars: number; messagesPerMinute: number; topK: number };
  handoff: { threshold: number; businessHours: string };
  logger: Logger;
  clock?: () => Date;
};

export type StartedConversation = { conversation: ConversationRecord; resumeToken: string; events: ConversationEvent[] };

/** Turns of history given to the answerer. */
const HISTORY_TURNS = 6;

/**
 * The shopper side of a conversation, free of any transport: start or resume, accept messages
 * exactly once, let the bot answer while it owns the conversation, and hand it to a person when
 * the bot should not answer. Every event is persisted before it is published; ownership changes
 * are compare-and-set in the store, so the bot can never speak once a person owns the conversation.
 */
export class ConversationService {
  readonly #deps: ConversationServiceDeps;
  readonly #clock: () => Date;
  readonly #limiter: RateLimiter;
  /** Bot turns run one after another per conversation. */
  readonly #turns = new Map<string, Promise<void>>();
  readonly #answering = new Map<string, AbortController>();
  #closing = false;

  constructor(deps: ConversationServiceDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? (() => new Date());
    this.#limiter = new RateLimiter(deps.limits.messagesPerMinute);
  }

  /** Begin a conversation, or resume the one a token proves ownership of, with the events after lastSeq. */
  async start(payload: ConversationStartPayload): Promise<StartedConversation> {
    const { store } = this.#deps;
    const now = this.#clock();
    let resumeToken = payload.resumeToken;
    let conversation: ConversationRecord | null;
    if (resumeToken) {
      conversation = await store.findConversationByTokenHash(hashToken(resumeToken));
      if (!conversation) throw new AppError("UNAUTHORIZED", "This conversation cannot be resumed: the resume token is not valid. Start a new conversation.");
      if (payload.productId !== undefined || payload.locale !== undefined) {
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
    const lastSeq = Math.min(payload.lastSeq ?? 0, conversation.lastSeq);
    return { conversation, resumeToken, events: await store.listEvents(conversation.id, lastSeq) };
  }

  /** The hand-off queue: who is waiting, since when, why, with the evidence; longest waiting first. */
  listQueue(): Promise<ConversationSummary[]> {
    return this.#deps.store.listConversations({ states: ["waiting"], limit: 500 });
  }

  /** Persist a shopper message exactly once per clientId, then hand off or let the bot answer. */
  async sendMessage(conversationId: string, payload: MessageSendPayload): Promise<{ seq: number; duplicate: boolean }> {
    const text = payload.text.trim();
    if (!text) throw new AppError("BAD_REQUEST", "The message is empty.");
    if ([...text].length > this.#deps.limits.maxMessageChars) {
      throw new AppError("PAYLOAD_TOO_LARGE", `The message is too long: at most ${this.#deps.limits.maxMessageChars} characters.`, {
        details: { maxChars: this.#deps.limits.maxMessageChars },
      });
    }
    if (!this.#limiter.take(conversationId, this.#clock().getTime())) {
      throw new AppError("RATE_LIMITED", "You are sending messages too quickly. Please wait a moment and try again.");
    }
    const conversation = await this.#requireConversation(conversationId);
    const { event, duplicate } = await this.#deps.store.appendEvent(
      conversationId,
      { type: "message", author: "shopper", text, clientId: payload.clientId, authorName: null },
      this.#clock(),
    );
    if (duplicate) return { seq: event.seq, duplicate };
    this.#deps.hub.emit("event", event);
    if (conversation.state === "closed") {
      await this.#append(conversationId, { type: "state-changed", state: "bot", reason: "shopper-returned", by: null });
    }
    if (conversation.state === "bot" || conversation.state === "closed") {
      // Asking for a person or being frustrated is acted on at once, even while an answer streams.
      const reason = decideOnMessage(text);
      if (reason) await this.handOff(conversationId, { reason, question: text, confidence: null, passages: [], draft: null }, languageOf(text, conversation.locale));
      else this.#scheduleBotTurn(conversationId, event);
    }
    return { seq: event.seq, duplicate };
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
    this.#answering.get(conversationId)?.abort();
    try {
      await this.#append(conversationId, { type: "state-changed", state: "waiting", reason: handoff.reason, by: null }, { expectBot: true, handoff });
    } catch (error) {
      if (isAppError(error, "CONFLICT")) return false;
      throw error;
    }
    this.#deps.logger.info({ conversationId, reason: handoff.reason, confidence: handoff.confidence?.score }, "handed off");
    if (handoff.reason === "llm-unavailable") {
      await this.#append(conversationId, { type: "notice", code: "llm-unavailable", text: noticeText("llm-unavailable", language) });
    }
    const availability = this.#deps.availability.check(this.#clock());
    const code = availability.available ? "handoff-queued" : availability.reason;
    await this.#append(conversationId, { type: "notice", code, text: noticeText(code, language, { hours: this.#deps.handoff.businessHours }) });
    return true;
  }

  /** Stop the bot's answer in flight, if any (a person took the conversation). */
  stopBot(conversationId: string): void {
    this.#answering.get(conversationId)?.abort();
  }

  /** After a restart: close answers cut off mid-stream and answer shopper messages left without a reply. */
  async recover(): Promise<number> {
    const pending = await this.#deps.store.listPendingReplies();
    for (const last of pending) {
      let question: ConversationEvent | undefined = last;
      if (last.type === "answer-start" || last.type === "answer-delta") {
        const events = await this.#deps.store.listEvents(last.conversationId, 0);
        const start = events.find((event) => event.type === "answer-start" && event.answerId === last.answerId);
        const text = events.flatMap((event) => (event.type === "answer-delta" && event.answerId === last.answerId ? [event.text] : [])).join("");
        await this.#append(last.conversationId, {
          type: "answer-end", answerId: last.answerId, status: "interrupted", text, citations: [], confidence: null, knowledgeVersion: 0,
        });
        question = start?.type === "answer-start" ? events.find((event) => event.seq === start.replyTo) : undefined;
      }
      if (question?.type === "message") this.#scheduleBotTurn(last.conversationId, question);
    }
    return pending.length;
  }

  /** Stop accepting bot turns; wait for the running ones up to graceMs, then stop them. */
  async close(graceMs: number): Promise<void> {
    this.#closing = true;
    const running = Promise.allSettled([...this.#turns.values()]);
    const timer = setTimeout(() => {
      for (const controller of this.#answering.values()) controller.abort();
    }, graceMs);
    await running;
    clearTimeout(timer);
  }

  async #requireConversation(conversationId: string): Promise<ConversationRecord> {
    const conversation = await this.#deps.store.getConversation(conversationId);
    if (!conversation) throw new AppError("NOT_FOUND", "This conversation does not exist.");
    return conversation;
  }

  async #append(conversationId: string, body: EventBody, options: { expectBot?: boolean; handoff?: Handoff } = {}): Promise<ConversationEvent> {
    const { event } = await this.#deps.store.appendEvent(conversationId, body, this.#clock(), {
      ...(options.expectBot ? { expectedStates: ["bot"] } : {}),
      ...(options.handoff ? { handoff: options.handoff } : {}),
    });
    this.#deps.hub.emit("event", event);
    return event;
  }

  #scheduleBotTurn(conversationId: string, question: ConversationEvent): void {
    if (this.#closing) return;
    const previous = this.#turns.get(conversationId) ?? Promise.resolve();
    // Let the acknowledgement of the message leave before the bot starts: a bot turn on the offline
    // path can run entirely in microtasks, which would hold every socket write until it ends.
    const turn = previous
      .then(() => new Promise((resolve) => setImmediate(resolve)))
      .then(() => this.#botTurn(conversationId, question))
      .catch((error: unknown) => this.#deps.logger.error({ err: error, conversationId }, "bot turn failed"))
      .finally(() => {
        if (this.#turns.get(conversationId) === turn) this.#turns.delete(conversationId);
      });
    this.#turns.set(conversationId, turn);
  }

  /**
   * One bot answer: retrieve, score the evidence, and answer only when confident; the answer-start
   * event is written with the first shown text, so a hand-off decided before then shows no guess.
   */
  async #botTurn(conversationId: string, question: ConversationEvent): Promise<void> {
    if (question.type !== "message") return;
    await this.#deps.knowledgeReady;
    const conversation = await this.#requireConversation(conversationId);
    if (conversation.state !== "bot") return;
    const { hub, retriever, answerer, handoff: policy } = this.#deps;
    const controller = new AbortController();
    this.#answering.set(conversationId, controller);
    hub.emit("typing", { conversationId, author: "bot", isTyping: true });
    let answerId: string | null = null;
    let started = false;
    try {
      const language = languageOf(question.text, conversation.locale);
      const earlier = await this.#deps.store.listEvents(conversationId, Math.max(0, question.seq - 60));
      const before = earlier.filter((event) => event.seq < question.seq);
      const history = toTurns(before).slice(-HISTORY_TURNS);
      const earlierQuestions = history.filter((turn) => turn.author === "shopper").map((turn) => turn.text);
      const lastAnswer = before.findLast((event) => event.type === "answer-end" && event.status === "complete");
      const previousWeak = lastAnswer?.type === "answer-end" && lastAnswer.confidence !== null && isWeak(lastAnswer.confidence.score, policy.threshold);

      if (lastAnswer && isRepeatedQuestion(question.text, earlierQuestions)) {
        await this.handOff(conversationId, { reason: "repeated-failure", question: question.text, confidence: null, passages: [], draft: null }, language);
        return;
      }
      if (await this.#shoppingTurn(conversationId, question, language, conversation.productId, lastAnswer)) return;
      const retrieval = await retriever.retrieve({
        query: followUpQuery(question.text, earlierQuestions.at(-1)),
        productId: conversation.productId,
        topK: this.#deps.limits.topK,
        language,
      });
      const product = retrieval.productId ? await this.#deps.catalog.getProduct(retrieval.productId, language) : null;
      const assessment = assess({ question: question.text, language, retrieval, product, threshold: policy.threshold });
      let confidence: ConfidenceReport | null = null;
      let decision: AnswerDecision = { action: "answer" };
      const decide = (verdict: Verdict | null): Delivery => {
        ({ confidence, decision } = assessment.decide(verdict, previousWeak));
        return decision.action === "answer" ? "stream" : "silent";
      };
      const startAnswer = async (): Promise<string> => {
        if (answerId && started) return answerId;
        answerId = randomUUID();
        started = true;
        await this.#append(conversationId, { type: "answer-start", answerId, replyTo: question.seq }, { expectBot: true });
        return answerId;
      };
      let draft;
      try {
        draft = await answerer.answer({
          question: question.text,
          language,
          retrieval,
          history,
          pageProduct: conversation.productId,
          plan: assessment.plan,
          signal: controller.signal,
          onVerdict: decide,
          onDelta: async (text) => {
            const id = await startAnswer();
            await this.#append(conversationId, { type: "answer-delta", answerId: id, text }, { expectBot: true });
          },
          onRestart: async () => {
            if (answerId && started) await this.#endAnswer(conversationId, answerId, "failed", "", [], null, retrieval.knowledgeVersion);
            answerId = null;
            started = false;
          },
        });
      } catch (error) {
        if (isAppError(error, "LLM_UNAVAILABLE")) {
          if (answerId && started) await this.#endAnswer(conversationId, answerId, "failed", "", [], confidence, retrieval.knowledgeVersion);
          await this.handOff(conversationId, { reason: "llm-unavailable", question: question.text, confidence, passages: retrieval.passages.map((passage) => toCitation(passage, null)), draft: null }, language);
          return;
        }
        throw error;
      }
      const citations = draft.cited.map(({ passage, marker }) => toCitation(passage, marker));
      const finalDecision = decision as AnswerDecision;
      if (draft.delivery === "stream" && !controller.signal.aborted) {
        if (!answerId && draft.text) await startAnswer();
        if (answerId) await this.#endAnswer(conversationId, answerId, "complete", draft.text, citations, confidence, retrieval.knowledgeVersion);
      } else if (answerId && started) {
        await this.#endAnswer(conversationId, answerId, "stopped", draft.text, citations, confidence, retrieval.knowledgeVersion);
      }
      if (finalDecision.action === "handoff") {
        await this.handOff(conversationId, {
          reason: finalDecision.reason satisfies HandoffReason,
          question: question.text,
          confidence,
          passages: retrieval.passages.map((passage) => toCitation(passage, null)),
          draft: draft.text || null,
        }, language);
      }
    } catch (error) {
      if (isAppError(error, "CONFLICT") || controller.signal.aborted) {
        // A person took the conversation mid-answer: close the answer so clients stop showing it as streaming.
        if (answerId && started) await this.#endAnswer(conversationId, answerId, "stopped", "", [], null, 0).catch(() => undefined);
        return;
      }
      throw error;
    } finally {
      this.#answering.delete(conversationId);
      hub.emit("typing", { conversationId, author: "bot", isTyping: false });
    }
  }

  /** A shopping question answered from the catalog with product cards; false when it is not one. */
  async #shoppingTurn(conversationId: string, question: Extract<ConversationEvent, { type: "message" }>, language: "zh" | "en", pageSku: string | null, lastAnswer: ConversationEvent | undefined): Promise<boolean> {
    const shopping = this.#deps.shopping;
    if (!shopping) return false;
    const previousSkus = lastAnswer?.type === "answer-end" ? (lastAnswer.products ?? []).map((card) => card.sku) : [];
    const reply = await shopping.reply({ question: question.text, language, pageSku, previousSkus });
    if (!reply) return false;
    const answerId = randomUUID();
    await this.#append(conversationId, { type: "answer-start", answerId, replyTo: question.seq }, { expectBot: true });
    await this.#append(conversationId, { type: "answer-delta", answerId, text: reply.text }, { expectBot: true });
    await this.#append(conversationId, {
      type: "answer-end", answerId, status: "complete", text: reply.text, citations: [], confidence: null, knowledgeVersion: 0,
      products: reply.products, comparison: reply.comparison,
    });
    await shopping.shown(answerId, reply.products.filter((card) => card.fit === "match").map((card) => card.sku));
    return true;
  }

  async #endAnswer(conversationId: string, answerId: string, status: "complete" | "stopped" | "failed", text: string, citations: Citation[], confidence: ConfidenceReport | null, knowledgeVersion: number) {
    await this.#append(conversationId, { type: "answer-end", answerId, status, text, citations, confidence, knowledgeVersion });
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

export function toCitation(passage: RetrievedPassage, marker: number | null): Citation {
  return { passageId: passage.key, documentId: passage.documentId, title: passage.title, url: passage.url, productId: passage.productId, kind: passage.kind, marker };
}

/** The language to answer in: the question's own, unless it has no letters to tell by. */
function languageOf(text: string, locale: Locale | null): "zh" | "en" {
  return /\p{L}/u.test(text) ? detectLanguage(text) : (locale ?? "en");
}

function toTurns(events: readonly ConversationEvent[]): Turn[] {
  const turns: Turn[] = [];
  for (const event of events) {
    if (event.type === "message" && event.author !== "system") turns.push({ author: event.author, text: event.text });
    if (event.type === "answer-end" && event.status === "complete" && event.text) turns.push({ author: "bot", text: event.text });
  }
  return turns;
}

/**
 * A short follow-up ("and in black?", "多少钱") is searched together with the question before it,
 * instead of paying a second model round trip to rewrite it.
 */
function followUpQuery(question: string, previous: string | undefined): string {
  return previous && contentWords(question).length <= 2 ? `${previous} ${question}` : question;
}
