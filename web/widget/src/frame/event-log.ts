import type { ConversationEvent } from "../../../../src/protocol/conversation-events.ts";

/**
 * The conversation's durable events as this widget received them: each seq once, kept in seq
 * order, and the highest seq received with no gap before it (what a resume asks to continue from).
 */
export class EventLog {
  readonly #events = new Map<number, ConversationEvent>();
  #sorted: ConversationEvent[] = [];
  #contiguousSeq = 0;

  /** In seq order; a new array after every change. */
  get sorted(): ConversationEvent[] {
    return this.#sorted;
  }

  get contiguousSeq(): number {
    return this.#contiguousSeq;
  }

  /** Keep the event; false when its seq was received before. */
  add(event: ConversationEvent): boolean {
    if (this.#events.has(event.seq)) return false;
    this.#events.set(event.seq, event);
    while (this.#events.has(this.#contiguousSeq + 1)) this.#contiguousSeq += 1;
    const last = this.#sorted.at(-1);
    this.#sorted = !last || last.seq < event.seq ? [...this.#sorted, event] : [...this.#events.values()].sort((a, b) => a.seq - b.seq);
    return true;
  }

  clear(): void {
    this.#events.clear();
    this.#sorted = [];
    this.#contiguousSeq = 0;
  }
}
