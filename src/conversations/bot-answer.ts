import { randomUUID } from "node:crypto";
import type { Citation, ConfidenceReport, ConversationEvent, EventBody } from "../protocol/conversation-events.ts";
import type { LiveAnswers } from "./live-answers.ts";

/** What a bot answer writes through: the conversation service's append (persist, then publish). */
export type AnswerWrites = {
  live: LiveAnswers;
  append: (conversationId: string, body: EventBody, options?: { expectBot?: boolean }) => Promise<ConversationEvent>;
};

export type AnswerEnd = { status: "complete" | "stopped" | "failed"; text: string; citations: Citation[]; confidence: ConfidenceReport | null; knowledgeVersion: number };

/**
 * One bot answer's two durable events around its live text: the answer-start (written once, by
 * whoever asks first: ahead, while the model thinks, or by the first shown piece, which waits for
 * it) and the answer-end (written once, after the start, whatever asks for it again). A start
 * that failed (the bot no longer owns the conversation) makes open() reject and end() a no-op.
 */
export class BotAnswer {
  readonly #writes: AnswerWrites;
  readonly #conversationId: string;
  readonly #replyTo: number;
  #opening: Promise<string> | null = null;
  #ending: Promise<void> | null = null;

  constructor(writes: AnswerWrites, conversationId: string, replyTo: number) {
    this.#writes = writes;
    this.#conversationId = conversationId;
    this.#replyTo = replyTo;
  }

  /** Whether the start was asked for (it may still be on its way to the store). */
  get opened(): boolean {
    return this.#opening !== null;
  }

  /** Whether the end was asked for. */
  get ended(): boolean {
    return this.#ending !== null;
  }

  /** Write the answer-start (once); resolves with the answer's id when it is durable and the live text can begin. */
  open(): Promise<string> {
    this.#opening ??= (async () => {
      const answerId = randomUUID();
      await this.#writes.append(this.#conversationId, { type: "answer-start", answerId, replyTo: this.#replyTo }, { expectBot: true });
      this.#writes.live.begin(this.#conversationId, answerId);
      return answerId;
    })();
    return this.#opening;
  }

  /**
   * An answer known whole before anything was shown (nothing streamed): its start and end are asked
   * back to back, so they are written in order and in one transaction. Both expect the bot to own
   * the conversation: if the start is refused, so is the end, and nothing was written.
   */
  whole(end: AnswerEnd): Promise<void> {
    const answerId = randomUUID();
    const start = this.#writes.append(this.#conversationId, { type: "answer-start", answerId, replyTo: this.#replyTo }, { expectBot: true });
    const ending = this.#writes.append(this.#conversationId, { type: "answer-end", answerId, status: end.status, text: end.text, citations: end.citations, confidence: end.confidence, knowledgeVersion: end.knowledgeVersion }, { expectBot: true });
    const opening = start.then(() => answerId);
    // Refused: the turn hears of it from the end awaited here, not as a stray rejection of the start.
    opening.catch(() => undefined);
    this.#opening = opening;
    this.#ending = (async () => {
      await start;
      // Both go in one transaction on either store, so an end refused after its start was written
      // should not happen; if it does, the answer is still closed, as end() would close it.
      await ending.catch(async () => {
        await this.#writes.append(this.#conversationId, { type: "answer-end", answerId, status: "stopped", text: "", citations: end.citations, confidence: end.confidence, knowledgeVersion: end.knowledgeVersion });
      });
    })();
    // A refused start: the end (refused with it) is no stray rejection either.
    ending.catch(() => undefined);
    return this.#ending;
  }

  /** Start writing the answer-start now, without waiting for it: a failure shows when open() or end() is awaited. */
  openAhead(): void {
    this.open().catch(() => undefined);
  }

  /**
   * Write the answer-end (once, after the start; nothing when none was asked for or it failed).
   * One that did not complete keeps the text the shopper saw stream, unless given another.
   */
  end(end: AnswerEnd): Promise<void> {
    const opening = this.#opening;
    if (!opening) return Promise.resolve();
    this.#ending ??= (async () => {
      const answerId = await opening.catch(() => null);
      if (answerId === null) return;
      const streamed = this.#writes.live.end(this.#conversationId, answerId);
      const text = end.status === "complete" ? end.text : end.text || streamed;
      await this.#writes.append(this.#conversationId, { type: "answer-end", answerId, status: end.status, text, citations: end.citations, confidence: end.confidence, knowledgeVersion: end.knowledgeVersion });
    })();
    return this.#ending;
  }
}
