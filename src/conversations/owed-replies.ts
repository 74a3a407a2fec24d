import type { Coordination } from "../coordination/coordination.ts";
import type { Logger } from "../logger.ts";
import type { ConversationEvent } from "../protocol/conversation-events.ts";
import type { ConversationStore } from "./conversation-store.ts";

/** A sweep looks at conversations active this recently; older ones were recovered at start. */
const SWEEP_WINDOW_MS = 15 * 60_000;

export type OwedRepliesDeps = {
  store: ConversationStore;
  coordination: Coordination;
  logger: Logger;
  /** Close an answer that stopped mid-stream (its server stopped) as interrupted. */
  closeInterrupted: (answerStart: ConversationEvent & { type: "answer-start" }) => Promise<void>;
  /** Queue the bot's turn for this shopper message. */
  answer: (conversationId: string, question: ConversationEvent & { type: "message" }) => void;
  now?: () => number;
};

/**
 * What the bot still owes after a server stopped: answers cut off mid-stream (closed as
 * interrupted, their question answered again) and shopper messages left without a reply. One
 * server alone recovers at start; several also sweep every few seconds, so a dead server's work is
 * taken up by a live one. An answer is closed only by the holder of its conversation's turn (a
 * live server streaming it holds that), and a queued turn checks it is still owed before it runs,
 * so recovering twice never answers twice.
 */
export class OwedReplies {
  readonly #deps: OwedRepliesDeps;
  readonly #now: () => number;
  #sweep: { timer: NodeJS.Timeout; running: Promise<unknown> | null } | null = null;
  #closed = false;

  constructor(deps: OwedRepliesDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /**
   * minAgeMs: leave messages younger than this to the server that took them; sinceMs: only
   * conversations active this recently (a sweep).
   */
  async recover(options: { minAgeMs?: number; sinceMs?: number } = {}): Promise<number> {
    const { store, coordination } = this.#deps;
    const pending = await store.listPendingReplies(options.sinceMs === undefined ? undefined : new Date(this.#now() - options.sinceMs));
    // Close the answers first, then the messages oldest first, so questions are answered in the order they were asked.
    pending.sort((a, b) => Number(b.type === "answer-start") - Number(a.type === "answer-start"));
    const cutoff = this.#now() - (options.minAgeMs ?? 0);
    let recovered = 0;
    for (const last of pending) {
      if (this.#closed) break;
      let question: ConversationEvent | undefined = last;
      if (last.type === "answer-start") {
        const lease = await coordination.claimTurn(last.conversationId, { strict: true });
        if (!lease) continue;
        let cut: Awaited<ReturnType<OwedReplies["closeCutAnswer"]>>;
        try {
          cut = await this.closeCutAnswer(last.conversationId);
        } finally {
          await lease.release();
        }
        if (!cut) continue;
        question = cut.question;
      } else if (Date.parse(last.at) > cutoff) continue;
      recovered += 1;
      if (question?.type === "message" && question.author === "shopper") this.#deps.answer(last.conversationId, question);
    }
    return recovered;
  }

  /**
   * Close the conversation's answer that started and never ended, as interrupted; null when there
   * is none. Its question comes back when the bot still owns the conversation, to be answered
   * again. Only the holder of the conversation's turn calls this: no live server is streaming then.
   */
  async closeCutAnswer(conversationId: string): Promise<{ question: (ConversationEvent & { type: "message" }) | undefined } | null> {
    const { store } = this.#deps;
    const cut = await store.getOpenAnswer(conversationId);
    if (!cut) return null;
    await this.#deps.closeInterrupted(cut);
    const conversation = await store.getConversation(conversationId);
    if (conversation?.state !== "bot") return { question: undefined };
    const [question] = await store.listEvents(conversationId, cut.replyTo - 1, 1);
    return { question: question?.type === "message" ? question : undefined };
  }

  /** Sweep every intervalMs (several servers), leaving messages younger than minAgeMs to their server. */
  sweepEvery(intervalMs: number, minAgeMs: number): void {
    if (this.#sweep || this.#closed) return;
    const sweep: { timer: NodeJS.Timeout; running: Promise<unknown> | null } = {
      timer: setInterval(() => {
        if (sweep.running || this.#closed) return;
        sweep.running = this.recover({ minAgeMs, sinceMs: SWEEP_WINDOW_MS })
          .catch((error: unknown) => this.#deps.logger.warn({ err: error }, "sweep for owed replies failed"))
          .finally(() => (sweep.running = null));
      }, intervalMs),
      running: null,
    };
    sweep.timer.unref();
    this.#sweep = sweep;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (!this.#sweep) return;
    clearInterval(this.#sweep.timer);
    await this.#sweep.running;
  }
}

/**
 * What a bot turn reads of its conversation around its question, in one read: the events from
 * seq afterSeq + 1 up to the question (the turn's history) and every event after it (whether it is
 * still owed).
 */
export async function readAround(store: ConversationStore, question: ConversationEvent & { type: "message" }, afterSeq: number): Promise<{ before: ConversationEvent[]; after: ConversationEvent[] }> {
  const events = await store.listEvents(question.conversationId, afterSeq);
  return { before: events.filter((event) => event.seq < question.seq), after: events.filter((event) => event.seq > question.seq) };
}

/**
 * Whether a shopper message still needs its answer, given the events after it: no answer was
 * started for it, or only answers that were interrupted. Read by the holder of the conversation's
 * turn, just before answering.
 */
export function isOwed(question: ConversationEvent & { type: "message" }, later: readonly ConversationEvent[]): boolean {
  const ended = new Map(later.flatMap((event) => (event.type === "answer-end" ? [[event.answerId, event.status] as const] : [])));
  return !later.some((event) => event.type === "answer-start" && event.replyTo === question.seq && ended.get(event.answerId) !== "interrupted");
}
