import type { Author, AnswerStatus, Citation, ConfidenceReport, ConversationEvent, ConversationState, NoticeCode } from "../../../src/protocol/conversation-events.ts";

/** Merge events into a seq-keyed map, keeping each seq once. Returns the same map when nothing was new. */
export function mergeEvents(current: ReadonlyMap<number, ConversationEvent>, incoming: readonly ConversationEvent[]): ReadonlyMap<number, ConversationEvent> {
  let next: Map<number, ConversationEvent> | null = null;
  for (const event of incoming) {
    if (current.has(event.seq) || next?.has(event.seq)) continue;
    next ??= new Map(current);
    next.set(event.seq, event);
  }
  return next ?? current;
}

export type TranscriptItem =
  | { kind: "message"; key: string; seq: number; at: string; author: Author; text: string; authorName: string | null; clientId: string | null }
  | {
      kind: "answer";
      key: string;
      seq: number;
      at: string;
      answerId: string;
      text: string;
      status: AnswerStatus | "streaming";
      citations: Citation[];
      confidence: ConfidenceReport | null;
    }
  | { kind: "state"; key: string; seq: number; at: string; state: ConversationState; reason: string | null; by: string | null }
  | { kind: "notice"; key: string; seq: number; at: string; code: NoticeCode; text: string }
  | { kind: "contact"; key: string; seq: number; at: string; name: string | null; email: string | null; phone: string | null; message: string | null };

/**
 * The transcript as people read it: messages, one bubble per bot answer (its live text while it
 * streams, the final text once it ends), state changes, notices and contact cards, in seq order.
 */
export function buildTranscript(events: ReadonlyMap<number, ConversationEvent>, live: ReadonlyMap<string, string> = new Map()): TranscriptItem[] {
  const ordered = [...events.values()].sort((a, b) => a.seq - b.seq);
  const items: TranscriptItem[] = [];
  const answers = new Map<string, TranscriptItem & { kind: "answer" }>();
  for (const event of ordered) {
    const base = { key: `e${event.seq}`, seq: event.seq, at: event.at };
    switch (event.type) {
      case "message":
        items.push({ ...base, kind: "message", author: event.author, text: event.text, authorName: event.authorName, clientId: event.clientId });
        break;
      case "answer-start": {
        const text = live.get(event.answerId) ?? "";
        const item = { ...base, kind: "answer" as const, key: `a${event.answerId}`, answerId: event.answerId, text, status: "streaming" as const, citations: [], confidence: null };
        answers.set(event.answerId, item);
        items.push(item);
        break;
      }
      case "answer-end": {
        let item = answers.get(event.answerId);
        if (!item) {
          item = { ...base, kind: "answer", key: `a${event.answerId}`, answerId: event.answerId, text: "", status: "streaming", citations: [], confidence: null };
          answers.set(event.answerId, item);
          items.push(item);
        }
        item.status = event.status;
        item.text = event.text || item.text;
        item.citations = event.citations;
        item.confidence = event.confidence;
        break;
      }
      case "state-changed":
        items.push({ ...base, kind: "state", state: event.state, reason: event.reason, by: event.by });
        break;
      case "notice":
        items.push({ ...base, kind: "notice", code: event.code, text: event.text });
        break;
      case "contact":
        items.push({ ...base, kind: "contact", name: event.name, email: event.email, phone: event.phone, message: event.message });
        break;
    }
  }
  // Answers stopped before saying anything leave no bubble.
  return items.filter((item) => item.kind !== "answer" || item.text.length > 0 || item.status === "streaming");
}

export function lastSeq(events: ReadonlyMap<number, ConversationEvent>): number {
  let max = 0;
  for (const seq of events.keys()) if (seq > max) max = seq;
  return max;
}
