import type { AgentAction, AgentProfile, ConversationSummary, Note } from "../../../src/protocol/agent-events.ts";
import type { ConversationListPayload, PresencePayload } from "../../../src/protocol/agent-payloads.ts";
import type { ConversationEvent } from "../../../src/protocol/conversation-events.ts";

/** What the desk shows, and the pure rules that keep it in order (no socket, no DOM). */

export type Filter = ConversationListPayload["filter"];
export const FILTERS: readonly Filter[] = ["waiting", "mine", "agent", "bot", "closed", "all"];
export type Presence = PresencePayload["status"];
export type Connection = "connecting" | "online" | "offline";
export type Failure = { code: string; message: string };

/** A reply the agent sent that the transcript has not shown yet. */
export type PendingReply = { clientId: string; text: string; status: "sending" | "sent" | "failed"; seq: number | null; error: string | null };

export type OpenConversation = {
  id: string;
  summary: ConversationSummary | null;
  events: ReadonlyMap<number, ConversationEvent>;
  /** The text so far of an answer streaming now, by answer id (live, never stored until it ends). */
  live: ReadonlyMap<string, string>;
  notes: Note[];
  actions: AgentAction[];
  loading: boolean;
  loadError: Failure | null;
  /** The outcome of the last action, e.g. CONFLICT when another agent took over first. */
  banner: { kind: "error" | "info"; title: string; message: string } | null;
  shopperTypingUntil: number;
  botTyping: boolean;
  pending: PendingReply[];
};

export type Toast = { id: string; kind: "handoff" | "error" | "info"; title: string; body: string; conversationId: string | null };

export type DeskState = {
  me: AgentProfile;
  connection: Connection;
  presence: Presence;
  onlineAgents: number | null;
  filter: Filter;
  search: string;
  list: ConversationSummary[] | null;
  listError: Failure | null;
  waiting: ReadonlyMap<string, ConversationSummary>;
  open: OpenConversation | null;
  busy: string | null;
  toasts: Toast[];
  /** Text to put in the composer (from "use draft"); the nonce makes the same text apply twice. */
  inject: { conversationId: string; text: string; nonce: number } | null;
};

export function matchesFilter(summary: ConversationSummary, filter: Filter, me: AgentProfile): boolean {
  switch (filter) {
    case "all":
      return true;
    case "mine":
      return summary.state === "agent" && summary.assignedAgent?.id === me.id;
    default:
      return summary.state === filter;
  }
}

/** Waiting conversations first, longest wait on top; then the most recently active. */
export function sortConversations(list: ConversationSummary[]): ConversationSummary[] {
  return [...list].sort((a, b) => {
    const aw = a.state === "waiting" ? 0 : 1;
    const bw = b.state === "waiting" ? 0 : 1;
    if (aw !== bw) return aw - bw;
    if (aw === 0) return Date.parse(a.waitingSince ?? a.updatedAt) - Date.parse(b.waitingSince ?? b.updatedAt);
    return Date.parse(b.lastMessageAt ?? b.updatedAt) - Date.parse(a.lastMessageAt ?? a.updatedAt);
  });
}

export function addNote(notes: Note[], note: Note): Note[] {
  if (notes.some((existing) => existing.id === note.id)) return notes;
  return [...notes, note].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Drop pending replies the transcript now shows (matched by client id, or by the acknowledged seq). */
export function settle(pending: PendingReply[], events: ReadonlyMap<number, ConversationEvent>): PendingReply[] {
  if (pending.length === 0) return pending;
  const shown = new Set<string>();
  // The server may namespace an agent's client id (e.g. "agent:<id>:<clientId>"): match the end too.
  for (const event of events.values()) if (event.type === "message" && event.author === "agent" && event.clientId) shown.add(event.clientId.slice(event.clientId.lastIndexOf(":") + 1));
  const next = pending.filter((item) => !shown.has(item.clientId) && !(item.seq !== null && events.has(item.seq)));
  return next.length === pending.length ? pending : next;
}
