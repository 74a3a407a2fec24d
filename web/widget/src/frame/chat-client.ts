import { io, type Socket } from "socket.io-client";
import type { Ack } from "../../../../src/protocol/ack.ts";
import type { ChatClientEvents, ChatServerEvents, ConversationStarted, MessageAccepted } from "../../../../src/protocol/chat-events.ts";
import type { ContactLeavePayload } from "../../../../src/protocol/chat-payloads.ts";
import type { Suggestion } from "../../../../src/protocol/shopping.ts";
import type { ConversationEvent, ConversationState } from "../../../../src/protocol/conversation-events.ts";
import { LiveAnswerTexts } from "../../../shared/live-answers.ts";
import type { Locale } from "../../../shared/locale.ts";
import type { ChatView, Connection } from "./chat-view.ts";
import { EventLog } from "./event-log.ts";
import type { FrameStorage } from "./frame-storage.ts";
import { Outbox } from "./outbox.ts";
import { Ratings, type Rating } from "./ratings.ts";
import { TypingSignals } from "./typing-signals.ts";

const ACK_TIMEOUT_MS = 10_000;
/** How long following a product link may wait for its click to be counted. */
const CLICK_WAIT_MS = 600;
/** A resume asks again soon: it is idempotent, and the history must show within seconds even when the server is busy. */
const RESUME_TIMEOUT_MS = 4_000;
const RESUME_RETRY_MS = 300;
const RETRY_MS = 3_000;
const RATE_LIMIT_RETRY_MS = 15_000;
const SHOPPER_TYPING_IDLE_MS = 3_000;

/**
 * The widget's connection to /chat, free of any UI. It never loses what the shopper writes:
 * messages go to an outbox kept in storage, are sent one at a time in order once the
 * conversation is (re)started on the current connection, and are retried with the same clientId
 * (the server keeps each clientId once). Server events are kept once per seq; after every
 * reconnect the conversation is resumed from the last seq received without a gap.
 */
export class ChatClient {
  readonly #socket: Socket<ChatServerEvents, ChatClientEvents>;
  readonly #storage: FrameStorage;
  readonly #listeners = new Set<() => void>();
  readonly #log = new EventLog();
  readonly #seenClientIds = new Set<string>();
  readonly #live = new LiveAnswerTexts();
  readonly #outbox: Outbox;
  readonly #ratings: Ratings;
  #token: string | null;
  #conversationId: string | null = null;
  #state: ConversationState = "bot";
  #stateSeq = 0;
  #connection: Connection = "connecting";
  /** Bumped on every connect and disconnect, so an answer from an older connection is ignored. */
  #generation = 0;
  #started = false;
  /** The resume in flight, and the connection (generation) it was asked on. */
  #starting: { generation: number; done: Promise<void> } | null = null;
  #flushing = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #typing = new TypingSignals(() => this.#changed());
  #shopperTypingTimer: ReturnType<typeof setTimeout> | undefined;
  #productId: string | null;
  #locale: Locale;
  #view: ChatView | null = null;
  #notifyQueued = false;

  constructor(options: { url: string; storage: FrameStorage; productId: string | null; locale: Locale }) {
    this.#storage = options.storage;
    this.#productId = options.productId;
    this.#locale = options.locale;
    this.#token = options.storage.get("token");
    this.#ratings = new Ratings(options.storage);
    this.#outbox = new Outbox(options.storage);

    // WebSocket first; long-polling when a proxy or network refuses WebSockets.
    // Reconnect soon after a restart or a blip (0.5 s, then up to 2 s apart, randomized so a
    // restart is not met by every widget at the same instant). The handshake names the language.
    this.#socket = io(`${options.url}/chat`, {
      transports: ["websocket", "polling"], tryAllTransports: true, autoConnect: false, reconnectionDelay: 500, reconnectionDelayMax: 2_000,
      auth: (send) => send({ locale: this.#locale }),
    });
    this.#socket.on("connect", () => {
      this.#generation += 1;
      this.#connection = "online";
      this.#changed();
      if (this.#token || this.#outbox.size > 0) void this.#start();
    });
    this.#socket.on("disconnect", () => this.#lost());
    this.#socket.on("connect_error", (error: Error & { data?: { details?: { retryAfterSeconds?: unknown } } }) => {
      this.#lost();
      // Refused by the server (too many connections from this network): socket.io does not retry
      // that itself. Connect again after the wait it named, spread over a second.
      if (!this.#socket.active) {
        const waitMs = Number(error.data?.details?.retryAfterSeconds) * 1000 || RATE_LIMIT_RETRY_MS;
        clearTimeout(this.#reconnectTimer);
        this.#reconnectTimer = setTimeout(() => this.#socket.connect(), Math.min(60_000, Math.max(1_000, waitMs)) + Math.random() * 1_000);
      }
    });
    // Before the first start is answered the conversation is not known here yet, but this socket
    // is only in the room of the one the server is resuming: keep what arrives ahead of the answer.
    this.#socket.on("conversation-event", (event) => {
      if (this.#isCurrent(event.conversationId)) this.#receive(event);
    });
    this.#socket.on("answer-delta", (delta) => {
      if (this.#isCurrent(delta.conversationId) && this.#live.add(delta)) this.#changed();
    });
    this.#socket.on("typing", (signal) => {
      if (signal.conversationId === this.#conversationId && (signal.author === "bot" || signal.author === "agent")) this.#typing.set(signal.author, signal.isTyping);
    });
  }

  connect(): void {
    this.#socket.connect();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get view(): ChatView {
    this.#view ??= {
      connection: this.#connection,
      conversationId: this.#conversationId,
      state: this.#state,
      events: this.#log.sorted,
      live: this.#live.texts,
      outbox: this.#outbox.snapshot(),
      typing: { ...this.#typing.state },
      ratings: this.#ratings.snapshot(),
    };
    return this.#view;
  }

  /** Queue a message; it is sent as soon as the conversation is live, after the ones before it. */
  send(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    this.#outbox.add(trimmed);
    this.#stopShopperTyping();
    this.#changed();
    if (this.#started) void this.#flush();
    else if (this.#socket.connected) void this.#start();
  }

  retry(clientId: string): void {
    if (!this.#outbox.retry(clientId)) return;
    this.#changed();
    if (this.#started) void this.#flush();
    else if (this.#socket.connected) void this.#start();
  }

  /** The product page the shopper is on now. */
  setProduct(productId: string | null): void {
    if (productId === this.#productId) return;
    this.#productId = productId;
    if (this.#started) this.#socket.emit("page-view", { productId });
  }

  setLocale(locale: Locale): void {
    if (locale === this.#locale) return;
    this.#locale = locale;
    // conversation-start is how a client tells its context; resuming again is cheap and idempotent.
    if (this.#started) void this.#start();
  }

  /** The shopper is typing: tell the other side, at most once until they stop for a moment. */
  noteTyping(): void {
    if (!this.#started) return;
    if (this.#shopperTypingTimer === undefined) this.#socket.emit("typing", { isTyping: true });
    clearTimeout(this.#shopperTypingTimer);
    this.#shopperTypingTimer = setTimeout(() => this.#stopShopperTyping(), SHOPPER_TYPING_IDLE_MS);
  }

  /** Question chips for the current page and language; none while offline. */
  async suggestions(): Promise<Suggestion[]> {
    if (!this.#socket.connected) return [];
    const response = await this.#socket.timeout(ACK_TIMEOUT_MS).emitWithAck("suggestions-get", { productId: this.#productId, locale: this.#locale }).catch(() => null);
    return response?.ok ? response.data.suggestions : [];
  }

  /**
   * The shopper opened a recommended product (counted once by the server). Resolves once the
   * server has it, or after a short wait: the page may be about to leave, taking this socket along.
   */
  async openedProduct(answerId: string, sku: string): Promise<void> {
    if (!this.#started) return;
    await this.#socket.timeout(CLICK_WAIT_MS).emitWithAck("recommendation-click", { answerId, sku }).catch(() => null);
  }

  async rate(answerId: string, rating: Rating): Promise<boolean> {
    const previous = this.#ratings.get(answerId);
    this.#setRating(answerId, rating);
    const response = this.#started ? await this.#socket.timeout(ACK_TIMEOUT_MS).emitWithAck("answer-feedback", { answerId, rating }).catch(() => null) : null;
    if (response?.ok) return true;
    this.#setRating(answerId, previous);
    return false;
  }

  /** Leave contact details; resolves with the server's refusal message, or null when they are kept. */
  async leaveContact(contact: ContactLeavePayload, offlineMessage: string): Promise<string | null> {
    if (!this.#started) return offlineMessage;
    const response = await this.#socket.timeout(ACK_TIMEOUT_MS).emitWithAck("contact-leave", contact).catch(() => null);
    if (!response) return offlineMessage;
    return response.ok ? null : response.error.message;
  }

  close(): void {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#reconnectTimer);
    this.#socket.close();
  }

  /**
   * Resume (or begin) the conversation on the current connection. A resume still in flight from an
   * earlier connection does not count: its answer is ignored (it may come late, or never), so a
   * new connection always asks again instead of waiting on it.
   */
  #start(): Promise<void> {
    const generation = this.#generation;
    if (this.#starting?.generation === generation) return this.#starting.done;
    const done: Promise<void> = this.#resume().finally(() => {
      if (this.#starting?.done === done) this.#starting = null;
      if (this.#started) void this.#flush();
    });
    this.#starting = { generation, done };
    return done;
  }

  async #resume(): Promise<void> {
    const generation = this.#generation;
    const token = this.#token;
    const payload = {
      ...(token ? { resumeToken: token, lastSeq: this.#log.contiguousSeq } : {}),
      productId: this.#productId,
      locale: this.#locale,
    };
    let response: Ack<ConversationStarted> | null;
    try {
      response = await this.#socket.timeout(RESUME_TIMEOUT_MS).emitWithAck("conversation-start", payload);
    } catch {
      response = null;
    }
    if (generation !== this.#generation) return;
    if (!response) return this.#retryLater(RESUME_RETRY_MS);
    if (!response.ok) {
      if (response.error.code === "UNAUTHORIZED" && token) {
        // The server no longer knows this conversation (e.g. its data was reset): begin a new one.
        this.#forgetConversation();
        if (this.#outbox.size > 0) return this.#retryLater(0);
        return;
      }
      return this.#retryLater(RETRY_MS);
    }
    const { data } = response;
    if (this.#conversationId !== null && this.#conversationId !== data.conversationId) this.#forgetConversation();
    this.#conversationId = data.conversationId;
    this.#token = data.resumeToken;
    this.#storage.set("token", data.resumeToken);
    if (data.lastSeq >= this.#stateSeq) {
      this.#state = data.state;
      this.#stateSeq = data.lastSeq;
    }
    for (const event of data.events) this.#receive(event);
    this.#live.snapshot(data.streaming);
    this.#started = true;
    this.#changed();
  }

  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#started) {
        const next = this.#outbox.next();
        if (!next) break;
        next.status = "sending";
        this.#changed();
        const generation = this.#generation;
        let response: Ack<MessageAccepted> | null;
        try {
          response = await this.#socket.timeout(ACK_TIMEOUT_MS).emitWithAck("message-send", { clientId: next.clientId, text: next.text });
        } catch {
          response = null;
        }
        if (next.status !== "sending") continue;
        if (!response) {
          // No answer: the connection dropped or the server is slow. Same clientId next time, so never twice.
          next.status = "queued";
          this.#changed();
          if (generation === this.#generation) this.#retryLater(RETRY_MS);
          break;
        }
        if (response.ok) {
          this.#accepted(next.clientId);
          continue;
        }
        const { code, message, details } = response.error;
        if (code === "RATE_LIMITED" || code === "INTERNAL") {
          next.status = code === "RATE_LIMITED" ? "slowed" : "queued";
          this.#changed();
          const retryAfterMs = Number(details?.retryAfterSeconds) * 1000 || RATE_LIMIT_RETRY_MS;
          this.#retryLater(code === "RATE_LIMITED" ? Math.min(60_000, Math.max(1_000, retryAfterMs)) : RETRY_MS);
          break;
        }
        if (code === "INVALID_STATE" || code === "UNAUTHORIZED" || code === "NOT_FOUND") {
          next.status = "queued";
          this.#started = false;
          this.#changed();
          this.#retryLater(0);
          break;
        }
        this.#outbox.fail(next, message);
        this.#changed();
      }
    } finally {
      this.#flushing = false;
    }
  }

  #accepted(clientId: string): void {
    // Shown from the server's own event once it arrives; until then it stays, marked sent.
    if (this.#outbox.accepted(clientId, this.#seenClientIds.has(clientId))) this.#changed();
  }

  #receive(event: ConversationEvent): void {
    if (!this.#log.add(event)) return;
    if (event.type === "message" && event.author === "shopper" && event.clientId) {
      this.#seenClientIds.add(event.clientId);
      this.#outbox.remove(event.clientId);
    }
    if (event.type === "state-changed" && event.seq > this.#stateSeq) {
      this.#state = event.state;
      this.#stateSeq = event.seq;
    }
    if (event.type === "answer-end") {
      this.#live.end(event.answerId);
      this.#typing.set("bot", false);
    }
    if (event.type === "message" && event.author === "agent") this.#typing.set("agent", false);
    this.#changed();
  }

  #isCurrent(conversationId: string): boolean {
    return this.#conversationId === null || conversationId === this.#conversationId;
  }

  #lost(): void {
    this.#generation += 1;
    this.#connection = "offline";
    this.#started = false;
    this.#outbox.requeueSending();
    this.#typing.set("bot", false);
    this.#typing.set("agent", false);
    clearTimeout(this.#shopperTypingTimer);
    this.#shopperTypingTimer = undefined;
    this.#changed();
  }

  #retryLater(ms: number): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      if (!this.#socket.connected) return;
      if (this.#started) void this.#flush();
      else void this.#start();
    }, ms);
  }

  #forgetConversation(): void {
    this.#token = null;
    this.#storage.set("token", null);
    this.#conversationId = null;
    this.#log.clear();
    this.#live.clear();
    this.#seenClientIds.clear();
    this.#state = "bot";
    this.#stateSeq = 0;
    this.#changed();
  }

  #stopShopperTyping(): void {
    if (this.#shopperTypingTimer === undefined) return;
    clearTimeout(this.#shopperTypingTimer);
    this.#shopperTypingTimer = undefined;
    if (this.#started) this.#socket.emit("typing", { isTyping: false });
  }

  #setRating(answerId: string, rating: Rating | null): void {
    this.#ratings.set(answerId, rating);
    this.#changed();
  }

  /** Listeners hear once per burst of changes (a replay or a fast stream), not once per event. */
  #changed(): void {
    this.#view = null;
    if (this.#notifyQueued) return;
    this.#notifyQueued = true;
    queueMicrotask(() => {
      this.#notifyQueued = false;
      for (const listener of this.#listeners) listener();
    });
  }
}
