import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Answerer } from "../answering/answerer.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { ConversationStartPayload, Locale, MessageSendPayload } from "../protocol/chat-payloads.ts";
import type { Citation, ConversationEvent, EventBody } from "../protocol/conversation-events.ts";
import type { RetrievedPassage, Retriever } from "../retrieval/retriever.ts";
import { detectLanguage } from "../text/segment.ts";
import type { ConversationRecord, ConversationStore } from "./conversation-store.ts";
import type { EventHub } from "./event-hub.ts";
import { RateLimiter } from "./rate-limiter.ts";

export type ConversationServiceDeps = {
  store: ConversationStore;
  hub: EventHub;
  retriever: Retriever;
  answerer: Answerer;
  /** Resolves when the knowledge base is ready to answer. */
  knowledgeReady: Promise<void>;
  limits: { maxMessageChars: number; messagesPerMinute: number; topK: number };
  logger: Logger;
  clock?: () => Date;
};

export type StartedConversation = { conversation: ConversationRecord; resumeToken: string; events: ConversationEvent[] };

/**
 * The shopper side of a conversation, free of any transport: start or resume, accept messages
 * exactly once, and let the bot answer while it owns the conversation. Every event is persisted
 * before it is published.
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
    if (payload.resumeToken && (payload.productId !== undefined || payload.locale !== undefined)) {
      await store.updateContext(conversation.id, { productId: payload.productId, locale: payload.locale }, now);
      conversation = (await store.getConversation(conversation.id))!;
    }
    const lastSeq = Math.min(payload.lastSeq ?? 0, conversation.lastSeq);
    const events = await store.listEvents(conversation.id, lastSeq);
    return { conversation, resumeToken, events };
  }

  /** Persist a shopper message exactly once per clientId, then let the bot answer it if it owns the conversation. */
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
    if (conversation.state === "closed") {
      await this.#append(conversationId, { type: "state-changed", state: "bot", reason: "shopper-returned", by: null });
    }
    const { event, duplicate } = await this.#deps.store.appendEvent(
      conversationId,
      { type: "message", author: "shopper", text, clientId: payload.clientId, authorName: null },
      this.#clock(),
    );
    if (!duplicate) {
      this.#deps.hub.emit("event", event);
      if (conversation.state === "bot" || conversation.state === "closed") this.#scheduleBotTurn(conversationId, event);
    }
    return { seq: event.seq, duplicate };
  }

  async setPage(conversationId: string, productId: string | null, locale?: Locale): Promise<void> {
    await this.#deps.store.updateContext(conversationId, { productId, locale }, this.#clock());
  }

  typing(conversationId: string, isTyping: boolean): void {
    this.#deps.hub.emit("typing", { conversationId, author: "shopper", isTyping });
  }

  /** After a restart: close answers cut off mid-stream and answer shopper messages left without a reply. */
  async recover(): Promise<number> {
    const pending = await this.#deps.store.listPendingReplies();
    for (const last of pending) {
      let question: ConversationEvent | undefined = last;
      if (last.type === "answer-start" || last.type === "answer-delta") {
        const events = await this.#deps.store.listEvents(last.conversationId, 0);
        const start = events.find((event) => event.type === "answer-start" && event.answerId === last.answerId);
        const text = events.filter((event) => event.type === "answer-delta" && event.answerId === last.answerId).map((event) => (event as { text: string }).text).join("");
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

  async #append(conversationId: string, body: EventBody, expectBot = false): Promise<ConversationEvent> {
    const { event } = await this.#deps.store.appendEvent(conversationId, body, this.#clock(), expectBot ? { expectedStates: ["bot"] } : {});
    this.#deps.hub.emit("event", event);
    return event;
  }

  #scheduleBotTurn(conversationId: string, question: ConversationEvent): void {
    if (this.#closing) return;
    const previous = this.#turns.get(conversationId) ?? Promise.resolve();
    const turn = previous
      .then(() => this.#botTurn(conversationId, question))
      .catch((error: unknown) => this.#deps.logger.error({ err: error, conversationId }, "bot turn failed"))
      .finally(() => {
        if (this.#turns.get(conversationId) === turn) this.#turns.delete(conversationId);
      });
    this.#turns.set(conversationId, turn);
  }

  async #botTurn(conversationId: string, question: ConversationEvent): Promise<void> {
    if (question.type !== "message") return;
    await this.#deps.knowledgeReady;
    const conversation = await this.#requireConversation(conversationId);
    if (conversation.state !== "bot") return;
    const controller = new AbortController();
    this.#answering.set(conversationId, controller);
    const { hub, retriever, answerer } = this.#deps;
    hub.emit("typing", { conversationId, author: "bot", isTyping: true });
    try {
      const language = detectLanguage(question.text) ;
      const retrieval = await retriever.retrieve({ query: question.text, productId: conversation.productId, topK: this.#deps.limits.topK, language });
      const answerId = randomUUID();
      await this.#append(conversationId, { type: "answer-start", answerId, replyTo: question.seq }, true);
      let stopped = false;
      const draft = await answerer.answer({
        question: question.text,
        language,
        retrieval,
        history: [],
        signal: controller.signal,
        onDelta: async (text) => {
          if (stopped) return;
          try {
            await this.#append(conversationId, { type: "answer-delta", answerId, text }, true);
          } catch (error) {
            if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
            stopped = true;
            controller.abort();
          }
        },
      });
      await this.#append(conversationId, {
        type: "answer-end",
        answerId,
        status: stopped || controller.signal.aborted ? "stopped" : "complete",
        text: draft.text,
        citations: draft.cited.map(toCitation),
        confidence: null,
        knowledgeVersion: retrieval.knowledgeVersion,
      });
    } catch (error) {
      if (error instanceof AppError && error.code === "CONFLICT") return;
      throw error;
    } finally {
      this.#answering.delete(conversationId);
      hub.emit("typing", { conversationId, author: "bot", isTyping: false });
    }
  }
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function toCitation(passage: RetrievedPassage): Citation {
  return { passageId: passage.key, documentId: passage.documentId, title: passage.title, url: passage.url, productId: passage.productId, kind: passage.kind };
}
