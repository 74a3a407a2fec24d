import { io, type Socket } from "socket.io-client";
import type { Ack } from "../../src/protocol/ack.ts";
import type { ChatClientEvents, ChatServerEvents, ConversationStarted, MessageAccepted } from "../../src/protocol/chat-events.ts";
import type { AnswerDelta, ConversationEvent } from "../../src/protocol/conversation-events.ts";
import { LiveAnswerTexts } from "../../web/shared/live-answers.ts";

/**
 * A shopper's client as a widget would be: a real socket.io-client socket on /chat that keeps
 * every durable event once, by seq, and resumes with its token and last seq on reconnect.
 */
export class Shopper {
  readonly socket: Socket<ChatServerEvents, ChatClientEvents>;
  readonly events = new Map<number, ConversationEvent>();
  /** Live answer pieces received, in arrival order. */
  readonly deltas: AnswerDelta[] = [];
  /** The text so far of streaming answers, joined from the resume snapshot and the deltas. */
  readonly live = new LiveAnswerTexts();
  resumeToken: string | undefined;
  conversationId: string | undefined;
  #waiters: { predicate: (event: ConversationEvent) => boolean; resolve: (event: ConversationEvent) => void }[] = [];

  constructor(url: string, options: { extraHeaders?: Record<string, string>; autoConnect?: boolean } = {}) {
    this.socket = io(`${url}/chat`, {
      transports: ["websocket"],
      reconnection: false,
      autoConnect: options.autoConnect ?? true,
      ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
    });
    this.socket.on("conversation-event", (event) => this.#receive(event));
    this.socket.on("answer-delta", (delta) => {
      this.deltas.push(delta);
      this.live.add(delta);
    });
  }

  get lastSeq(): number {
    return Math.max(0, ...this.events.keys());
  }

  /** Events in seq order. */
  get timeline(): ConversationEvent[] {
    return [...this.events.values()].sort((a, b) => a.seq - b.seq);
  }

  async start(payload: Parameters<ChatClientEvents["conversation-start"]>[0] = {}): Promise<Ack<ConversationStarted>> {
    const response = await this.socket.timeout(10_000).emitWithAck("conversation-start", {
      ...(this.resumeToken ? { resumeToken: this.resumeToken, lastSeq: this.lastSeq } : {}),
      ...payload,
    });
    if (response.ok) {
      this.resumeToken = response.data.resumeToken;
      this.conversationId = response.data.conversationId;
      for (const event of response.data.events) this.#receive(event);
      this.live.snapshot(response.data.streaming);
    }
    return response;
  }

  send(text: string, clientId: string = crypto.randomUUID()): Promise<Ack<MessageAccepted>> {
    return this.socket.timeout(10_000).emitWithAck("message-send", { clientId, text });
  }

  /** The next event (already received or arriving) that matches. */
  waitFor(predicate: (event: ConversationEvent) => boolean, timeoutMs = 10_000): Promise<ConversationEvent> {
    const found = this.timeline.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; have ${JSON.stringify(this.timeline.map((event) => event.type))}`)), timeoutMs);
      this.#waiters.push({ predicate, resolve: (event) => (clearTimeout(timer), resolve(event)) });
    });
  }

  /** Wait for the bot's answer to the message with this seq to end. */
  answerTo(seq: number): Promise<ConversationEvent & { type: "answer-end" }> {
    return (async () => {
      const start = await this.waitFor((event) => event.type === "answer-start" && event.replyTo === seq);
      const answerId = (start as { answerId: string }).answerId;
      return (await this.waitFor((event) => event.type === "answer-end" && event.answerId === answerId)) as ConversationEvent & { type: "answer-end" };
    })();
  }

  close(): void {
    this.socket.close();
  }

  #receive(event: ConversationEvent): void {
    if (this.events.has(event.seq)) return;
    this.events.set(event.seq, event);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.predicate(event)) return true;
      waiter.resolve(event);
      return false;
    });
  }
}

export function connected(shopper: Shopper): Promise<void> {
  if (shopper.socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    shopper.socket.once("connect", () => resolve());
    shopper.socket.once("connect_error", reject);
  });
}
