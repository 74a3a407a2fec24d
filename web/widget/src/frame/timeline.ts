import type { AnswerStatus, Citation, ConversationEvent } from "../../../../src/protocol/conversation-events.ts";
import type { ProductCard, ProductComparison } from "../../../../src/protocol/shopping.ts";
import type { Outgoing, OutgoingStatus } from "./outbox.ts";
import type { Strings } from "./i18n.ts";

export type TimelineItem =
  | { kind: "message"; key: string; seq: number | null; author: "shopper" | "bot" | "agent"; name: string | null; text: string; at: string | null; status: OutgoingStatus; error: string | null; clientId: string | null }
  | { kind: "answer"; key: string; seq: number; answerId: string; text: string; status: "streaming" | AnswerStatus; citations: Citation[]; at: string; products: ProductCard[]; comparison: ProductComparison | null }
  | { kind: "notice"; key: string; seq: number; text: string; tone: "info" | "handoff" | "agent" | "closed" | "warning" }
  | { kind: "contact"; key: string; seq: number; text: string };

export type Timeline = {
  items: TimelineItem[];
  /** A notice asked the shopper to leave a contact and they have not yet. */
  contactWanted: boolean;
  /** An answer is streaming now. */
  streaming: boolean;
};

type AnswerItem = Extract<TimelineItem, { kind: "answer" }>;

const CONTACT_NOTICES = new Set(["no-agent-online", "outside-hours"]);

/**
 * What the shopper sees, from the durable events in seq order plus the messages still in the
 * outbox: a streaming answer with its live text so far, ownership changes and notices as system lines.
 */
export function buildTimeline(events: readonly ConversationEvent[], outbox: readonly Outgoing[], t: Strings, live: ReadonlyMap<string, string> = new Map()): Timeline {
  const items: TimelineItem[] = [];
  const answers = new Map<string, AnswerItem>();
  let contactWanted = false;
  events.forEach((event, index) => {
    switch (event.type) {
      case "message":
        if (event.author === "system") items.push({ kind: "notice", key: `e${event.seq}`, seq: event.seq, text: event.text, tone: "info" });
        else {
          items.push({
            kind: "message", key: event.clientId ? `c${event.clientId}` : `e${event.seq}`, seq: event.seq, author: event.author, name: event.authorName,
            text: event.text, at: event.at, status: "sent", error: null, clientId: event.clientId,
          });
        }
        break;
      case "answer-start": {
        const text = live.get(event.answerId) ?? "";
        const answer: AnswerItem = { kind: "answer", key: `a${event.answerId}`, seq: event.seq, answerId: event.answerId, text, status: "streaming", citations: [], at: event.at, products: [], comparison: null };
        answers.set(event.answerId, answer);
        items.push(answer);
        break;
      }
      case "answer-end": {
        const answer = answers.get(event.answerId);
        if (!answer) break;
        // The final text is authoritative: it is the whole answer (or what streamed of one cut short).
        answer.text = event.text;
        answer.status = event.status;
        answer.citations = dedupeCitations(event.citations);
        answer.products = event.products ?? [];
        answer.comparison = event.comparison ?? null;
        if (!answer.text.trim() && event.status !== "complete") items.splice(items.indexOf(answer), 1);
        break;
      }
      case "state-changed": {
        const next = events[index + 1];
        // The server's own notice right after says more (queued, no one online, …), so this line only stands alone.
        if (event.state === "waiting") {
          if (next?.type !== "notice") items.push({ kind: "notice", key: `e${event.seq}`, seq: event.seq, text: t.handoffWaiting, tone: "handoff" });
        }
        else if (event.state === "agent") items.push({ kind: "notice", key: `e${event.seq}`, seq: event.seq, text: t.agentJoined(event.by ?? t.agent), tone: "agent" });
        else if (event.state === "closed") {
          if (!(next?.type === "notice" && next.code === "conversation-closed")) items.push({ kind: "notice", key: `e${event.seq}`, seq: event.seq, text: t.closed, tone: "closed" });
          contactWanted = false;
        } else if (event.reason !== "shopper-returned") items.push({ kind: "notice", key: `e${event.seq}`, seq: event.seq, text: t.botBack, tone: "info" });
        if (event.state === "agent" || event.state === "bot") contactWanted = false;
        break;
      }
      case "notice": {
        const tone = event.code === "conversation-closed" ? "closed" : event.code === "llm-unavailable" || event.code === "bot-budget" ? "warning" : event.code === "contact-received" || event.code === "bot-busy" ? "info" : "handoff";
        items.push({ kind: "notice", key: `e${event.seq}`, seq: event.seq, text: event.text, tone });
        if (CONTACT_NOTICES.has(event.code)) contactWanted = true;
        break;
      }
      case "contact":
        items.push({ kind: "contact", key: `e${event.seq}`, seq: event.seq, text: t.contactSent([event.email, event.phone].filter(Boolean).join(" · ")) });
        contactWanted = false;
        break;
    }
  });
  for (const item of outbox) {
    items.push({ kind: "message", key: `c${item.clientId}`, seq: null, author: "shopper", name: null, text: item.text, at: null, status: item.status, error: item.error, clientId: item.clientId });
  }
  // An answer is shown from its first text: its start is written while the model thinks, and the
  // bot's typing line stands for it until then (a verdict that hands off ends it with no text).
  const shown = items.filter((item) => item.kind !== "answer" || item.status !== "streaming" || item.text !== "");
  return { items: shown, contactWanted, streaming: [...answers.values()].some((answer) => answer.status === "streaming" && answer.text !== "") };
}

/** One source per document, in the order the answer cites them. */
function dedupeCitations(citations: readonly Citation[]): Citation[] {
  const byDocument = new Map<string, Citation>();
  for (const citation of citations) {
    const existing = byDocument.get(citation.documentId);
    if (!existing || (existing.marker === null && citation.marker !== null)) byDocument.set(citation.documentId, citation);
  }
  return [...byDocument.values()].sort((a, b) => (a.marker ?? Number.MAX_SAFE_INTEGER) - (b.marker ?? Number.MAX_SAFE_INTEGER));
}

/** Items the shopper has not seen if they arrived while the panel was closed. */
export function isIncoming(item: TimelineItem): boolean {
  if (item.kind === "answer") return item.status !== "streaming";
  if (item.kind === "message") return item.author !== "shopper";
  return item.kind === "notice" && item.tone !== "info";
}
