import { decideOnMessage } from "../escalation/escalation-policy.ts";
import type { Appended, ConversationStore } from "./conversation-store.ts";
import { buildTurnRequest, HISTORY_EVENTS, readHistory, turnRequestKey, type TurnRequestSources } from "./turn-request.ts";
import type { TurnOutcome, TurnRequest, TurnWorker } from "./turn-work.ts";

/**
 * Prefetched turns kept at once, the oldest forgotten past it: each is normally taken within
 * milliseconds, by its turn; one whose turn never asks (a hand-off) waits here to be replaced.
 */
const MAX_PREFETCHED = 128;

type Sources = TurnRequestSources & {
  store: ConversationStore;
  turns: TurnWorker;
  /** Resolves when the knowledge base is ready to answer: the turn waits for it, and so does its prefetch. */
  knowledgeReady: Promise<void>;
};

type Prefetched = { clientId: string; ready: Promise<{ lastSeq: number; key: string; outcome: Promise<TurnOutcome> } | null> };

/**
 * A bot turn's search-worker work (shopping check, retrieval, assessment), started while the
 * shopper's message is being stored instead of after its acknowledgement, so that it overlaps the
 * durable write. Nothing is shown earlier: the turn still starts after the acknowledgement, and it
 * takes the prefetched outcome only when it would have asked exactly the same (the same history,
 * up to the event before its question, and the same request); otherwise it asks again.
 */
export class TurnPrefetch {
  readonly #sources: Sources;
  readonly #byConversation = new Map<string, Prefetched>();

  constructor(sources: Sources) {
    this.#sources = sources;
  }

  /**
   * Start the work for a message now being stored (stored: its append). The conversation is as
   * read before the message was sent to the store: the history is read up to its lastSeq.
   */
  begin(conversation: { id: string; productId: string | null; lastSeq: number }, message: { clientId: string; text: string }, language: "zh" | "en", stored: Promise<Appended>): void {
    const ready = (async () => {
      // Acknowledgements ready in this turn of the event loop leave first (as for any bot work).
      await new Promise((resolve) => setImmediate(resolve));
      await this.#sources.knowledgeReady;
      // A message that asks for a person (or sounds frustrated) is handed off, not answered.
      if (decideOnMessage(message.text)) return null;
      const { store, turns, threshold } = this.#sources;
      const events = await store.listEvents(conversation.id, Math.max(0, conversation.lastSeq + 1 - HISTORY_EVENTS));
      const read = readHistory(events.filter((event) => event.seq <= conversation.lastSeq), message.text, threshold);
      if (read.repeated) return null;
      const request = await buildTurnRequest(this.#sources, conversation, message.text, language, read);
      const outcome = turns.turn(request);
      outcome.catch(() => undefined);
      return { lastSeq: read.lastSeq, key: turnRequestKey(request), outcome };
    })().catch(() => null);
    this.#byConversation.delete(conversation.id);
    this.#byConversation.set(conversation.id, { clientId: message.clientId, ready });
    if (this.#byConversation.size > MAX_PREFETCHED) this.#byConversation.delete(this.#byConversation.keys().next().value!);
    // A message that was not stored, or was stored before (a duplicate), gets no turn of its own.
    stored.then(({ duplicate }) => duplicate && this.#drop(conversation.id, message.clientId), () => this.#drop(conversation.id, message.clientId));
  }

  /** The prefetched outcome for this message's turn, if it asked exactly this; null otherwise. Taken once. */
  async take(conversationId: string, clientId: string | null, lastSeq: number, request: TurnRequest): Promise<TurnOutcome | null> {
    // Whatever was prefetched for the conversation is void once one of its turns runs: taken, or for an earlier message.
    const entry = this.#byConversation.get(conversationId);
    this.#byConversation.delete(conversationId);
    if (!entry || entry.clientId !== clientId) return null;
    const ready = await entry.ready;
    return ready && ready.lastSeq === lastSeq && ready.key === turnRequestKey(request) ? ready.outcome : null;
  }

  #drop(conversationId: string, clientId: string): void {
    if (this.#byConversation.get(conversationId)?.clientId === clientId) this.#byConversation.delete(conversationId);
  }
}
