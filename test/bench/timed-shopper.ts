import { io, type Socket } from "socket.io-client";
import type { Ack } from "../../src/protocol/ack.ts";
import type { ChatClientEvents, ChatServerEvents, ConversationStarted, MessageAccepted } from "../../src/protocol/chat-events.ts";
import type { AnswerDelta, AnswerStatus, ConversationEvent, ConversationState } from "../../src/protocol/conversation-events.ts";

export type TimedAck<T> = { response: Ack<T>; sentAt: number; ackAt: number };
/** How the bot's turn on one question ended: an answer, or a hand-off to people. */
export type TimedOutcome =
  | {
      kind: "answer";
      startAt: number;
      /** Arrival of the answer's first delta (null for an answer that ended with no text). */
      firstDeltaAt: number | null;
      endAt: number;
      status: AnswerStatus;
      /** The final answer text and the documents it cites (as answer-end carries them). */
      text: string;
      citedDocuments: string[];
      /** Every delta's arrival time and text length, only when the shopper was made with recordDeltas. */
      deltas: { at: number; chars: number }[] | null;
    }
  | { kind: "handoff"; at: number; state: ConversationState; reason: string | null };

/**
 * A shopper's socket for load generation. Unlike test/support/shopper.ts it keeps no timeline:
 * it stamps each answer's start and end with performance.now() the moment the event arrives
 * (they may arrive before the message's own ack), so latencies do not include the generator's
 * own scheduling, and it forgets them once read, so memory stays flat over long runs.
 */
export class TimedShopper {
  readonly socket: Socket<ChatServerEvents, ChatClientEvents>;
  /** answer-start by the seq of the message it replies to. */
  readonly #starts = new Map<number, { answerId: string; at: number }>();
  readonly #ends = new Map<string, { at: number; status: AnswerStatus; text: string; citedDocuments: string[] }>();
  /** Deltas by answerId: the first one's arrival, and all of them when #recordDeltas. */
  readonly #deltas = new Map<string, { firstAt: number; all: { at: number; chars: number }[] | null }>();
  readonly #recordDeltas: boolean;
  /** The latest move of the conversation away from the bot, by its seq. */
  #handoff: { seq: number; at: number; state: ConversationState; reason: string | null } | null = null;
  #changed = Promise.withResolvers<void>();
  #disconnectReason: string | null = null;
  /** Events of an earlier conversation of this socket, still in flight, are ignored. */
  #conversationId: string | null = null;
  /** Durable events received, by type (each one is a committed write on the server). */
  readonly eventCounts = new Map<string, number>();

  constructor(url: string, options: { recordDeltas?: boolean } = {}) {
    this.#recordDeltas = options.recordDeltas ?? false;
    this.socket = io(`${url}/chat`, { transports: ["websocket"], reconnection: false, forceNew: true, autoConnect: false });
    this.socket.on("conversation-event", (event) => this.#receive(event, performance.now()));
    this.socket.on("answer-delta", (delta) => this.#receiveDelta(delta, performance.now()));
    this.socket.on("disconnect", (reason) => {
      this.#disconnectReason = reason;
      this.#wake();
    });
  }

  connect(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => finish(signal.reason);
      const finish = (error?: unknown) => {
        signal.removeEventListener("abort", onAbort);
        this.socket.off("connect", onConnect);
        this.socket.off("connect_error", finish);
        if (error) reject(error);
        else resolve();
      };
      const onConnect = () => finish();
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener("abort", onAbort);
      this.socket.once("connect", onConnect);
      this.socket.once("connect_error", finish);
      this.socket.connect();
    });
  }

  /** Start a new conversation on this socket (the socket moves to its room; what was pending is forgotten). */
  async start(payload: Parameters<ChatClientEvents["conversation-start"]>[0], timeoutMs: number, signal: AbortSignal): Promise<TimedAck<ConversationStarted>> {
    this.#starts.clear();
    this.#ends.clear();
    this.#deltas.clear();
    this.#handoff = null;
    this.#conversationId = null;
    const started = await this.#emit("conversation-start", payload, timeoutMs, signal);
    if (started.response.ok) this.#conversationId = started.response.data.conversationId;
    return started;
  }

  send(text: string, timeoutMs: number, signal: AbortSignal): Promise<TimedAck<MessageAccepted>> {
    return this.#emit("message-send", { clientId: crypto.randomUUID(), text }, timeoutMs, signal);
  }

  /**
   * How the bot's turn on the message with this seq ended, with arrival times: its answer's start
   * and end, or the conversation leaving the bot (a hand-off) after that message. Rejects on abort
   * or disconnect.
   */
  async outcomeOf(seq: number, signal: AbortSignal): Promise<TimedOutcome> {
    const wake = () => this.#wake();
    signal.addEventListener("abort", wake);
    try {
      while (true) {
        const start = this.#starts.get(seq);
        const end = start && this.#ends.get(start.answerId);
        if (start && end) {
          const deltas = this.#deltas.get(start.answerId);
          this.#starts.delete(seq);
          this.#ends.delete(start.answerId);
          this.#deltas.delete(start.answerId);
          return {
            kind: "answer", startAt: start.at, firstDeltaAt: deltas?.firstAt ?? null, endAt: end.at, status: end.status,
            text: end.text, citedDocuments: end.citedDocuments, deltas: deltas?.all ?? null,
          };
        }
        if (this.#handoff && this.#handoff.seq > seq) {
          const { at, state, reason } = this.#handoff;
          return { kind: "handoff", at, state, reason };
        }
        signal.throwIfAborted();
        if (this.#disconnectReason) throw new Error(`disconnected (${this.#disconnectReason})`);
        await this.#changed.promise;
      }
    } finally {
      signal.removeEventListener("abort", wake);
    }
  }

  close(): void {
    this.socket.close();
  }

  #emit<E extends "conversation-start" | "message-send">(
    event: E,
    payload: Parameters<ChatClientEvents[E]>[0],
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<TimedAck<E extends "conversation-start" ? ConversationStarted : MessageAccepted>> {
    type Data = E extends "conversation-start" ? ConversationStarted : MessageAccepted;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      const sentAt = performance.now();
      // socket.io's typed emit cannot follow the generic event name; the payload types are checked above.
      (this.socket.timeout(timeoutMs) as unknown as { emit: (...args: unknown[]) => void }).emit(event, payload, (error: Error | null, response: Ack<Data>) => {
        const ackAt = performance.now();
        signal.removeEventListener("abort", onAbort);
        if (error) reject(new Error(`no ${event} ack within ${timeoutMs} ms`));
        else resolve({ response, sentAt, ackAt });
      });
    });
  }

  /** Nobody waits on a delta: note its arrival and return. */
  #receiveDelta(delta: AnswerDelta, at: number): void {
    if (delta.conversationId !== this.#conversationId) return;
    const known = this.#deltas.get(delta.answerId);
    if (!known) this.#deltas.set(delta.answerId, { firstAt: at, all: this.#recordDeltas ? [{ at, chars: delta.text.length }] : null });
    else known.all?.push({ at, chars: delta.text.length });
  }

  #receive(event: ConversationEvent, at: number): void {
    if (event.conversationId !== this.#conversationId) return;
    this.eventCounts.set(event.type, (this.eventCounts.get(event.type) ?? 0) + 1);
    if (event.type === "answer-start") this.#starts.set(event.replyTo, { answerId: event.answerId, at });
    else if (event.type === "answer-end") {
      const citedDocuments = [...new Set(event.citations.map((citation) => citation.documentId))];
      this.#ends.set(event.answerId, { at, status: event.status, text: event.text, citedDocuments });
    } else if (event.type === "state-changed" && event.state !== "bot") this.#handoff = { seq: event.seq, at, state: event.state, reason: event.reason };
    else return;
    this.#wake();
  }

  /** Let a waiting answerTo look again. */
  #wake(): void {
    const changed = this.#changed;
    this.#changed = Promise.withResolvers<void>();
    changed.resolve();
  }
}
