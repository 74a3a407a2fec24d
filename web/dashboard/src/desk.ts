import { io, type Socket } from "socket.io-client";
import type { Ack } from "../../../src/protocol/ack.ts";
import type { AgentClientEvents, AgentProfile, AgentServerEvents, ConversationDetail, ConversationSummary, Note } from "../../../src/protocol/agent-events.ts";
import type { ConversationListPayload } from "../../../src/protocol/agent-payloads.ts";
import type { ConversationEvent } from "../../../src/protocol/conversation-events.ts";
import { LiveAnswerTexts } from "../../shared/live-answers.ts";
import { randomId } from "./format.ts";
import type { Translate } from "./i18n.ts";
import { beep, desktopNotify } from "./notify.ts";
import { addNote, matchesFilter, settle, sortConversations, type DeskState, type Failure, type Filter, type OpenConversation, type PendingReply, type Presence, type Toast } from "./desk-state.ts";
import { lastSeq, mergeEvents } from "./timeline.ts";

type DeskHooks = { t: () => Translate; onSessionEnded: (reason: string) => void };
type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

const ACK_TIMEOUT_MS = 15_000;
const TYPING_TTL_MS = 8_000;

function failure(response: Ack<unknown>): Failure | null {
  return response.ok ? null : response.error;
}

/**
 * The agent's live desk: one socket.io connection to /agent and the state the screens show. It
 * reconnects by itself and, on every (re)connect, sets presence, re-lists conversations and
 * re-watches the open one, merging events by seq so nothing shows twice and nothing is missed.
 */
export class Desk {
  state: DeskState;
  readonly socket: AgentSocket;
  #listeners = new Set<() => void>();
  #listRequest = 0;
  #searchRefresh: ReturnType<typeof setTimeout> | undefined;
  #toastTimers = new Map<string, ReturnType<typeof setTimeout>>();
  #stopped = false;
  /** Streaming answers of the open conversation. */
  #live = new LiveAnswerTexts();
  private readonly hooks: DeskHooks;

  constructor(me: AgentProfile, hooks: DeskHooks) {
    this.hooks = hooks;
    const presence = localStorage.getItem("kefu.presence") === "away" ? "away" : "online";
    this.state = {
      me,
      connection: "connecting",
      presence,
      onlineAgents: null,
      filter: "waiting",
      search: "",
      list: null,
      listError: null,
      waiting: new Map(),
      open: null,
      busy: null,
      toasts: [],
      inject: null,
    };
    this.socket = io("/agent", {
      // Authenticated by the HttpOnly session cookie the browser sends with the handshake (the server
      // accepts it only from this origin), so every reconnect uses the current session.
      transports: ["websocket"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      autoConnect: false,
    });
    this.#wire();
  }

  start(): void {
    this.socket.connect();
  }

  stop(): void {
    this.#stopped = true;
    this.socket.removeAllListeners();
    this.socket.disconnect();
    for (const timer of this.#toastTimers.values()) clearTimeout(timer);
    clearTimeout(this.#searchRefresh);
    this.#listeners.clear();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(patch: Partial<DeskState>): void {
    if (this.#stopped) return;
    this.state = { ...this.state, ...patch };
    for (const listener of this.#listeners) listener();
  }

  #patchOpen(id: string, patch: Partial<OpenConversation> | ((open: OpenConversation) => Partial<OpenConversation>)): void {
    const open = this.state.open;
    if (!open || open.id !== id) return;
    this.#set({ open: { ...open, ...(typeof patch === "function" ? patch(open) : patch) } });
  }

  #wire(): void {
    const socket = this.socket;
    socket.on("connect", () => {
      this.#set({ connection: "online" });
      this.#sendPresence();
      void this.refreshList();
      void this.#refreshWaiting();
      if (this.state.open) void this.#watch(this.state.open.id);
    });
    socket.on("disconnect", (reason) => {
      this.#set({ connection: "offline" });
      // The server closed this socket on purpose: find out whether the session is still good.
      if (reason === "io server disconnect") setTimeout(() => this.#stopped || socket.connect(), 1_000);
    });
    socket.on("connect_error", (error: Error & { data?: { code?: string } }) => {
      if (error.data?.code === "UNAUTHORIZED" || error.message === "UNAUTHORIZED") {
        this.hooks.onSessionEnded("unauthorized");
        return;
      }
      this.#set({ connection: "offline" });
    });
    socket.on("session-ended", ({ reason }) => this.hooks.onSessionEnded(reason));
    socket.on("conversation-updated", (summary) => this.#updated(summary));
    socket.on("handoff-new", (summary) => this.#handoff(summary));
    socket.on("conversation-event", (event) => this.#event(event));
    socket.on("answer-delta", (delta) => {
      if (this.state.open?.id === delta.conversationId && this.#live.add(delta)) this.#patchOpen(delta.conversationId, { live: this.#live.texts });
    });
    socket.on("note-added", (note) => this.#patchOpen(note.conversationId, (open) => ({ notes: addNote(open.notes, note) })));
    socket.on("typing", ({ conversationId, author, isTyping }) => {
      if (author === "shopper") this.#patchOpen(conversationId, { shopperTypingUntil: isTyping ? Date.now() + TYPING_TTL_MS : 0 });
      else if (author === "bot") this.#patchOpen(conversationId, { botTyping: isTyping });
    });
  }

  // ---- the list -------------------------------------------------------------------------------

  setFilter(filter: Filter): void {
    if (filter === this.state.filter) return;
    this.#set({ filter, list: null });
    void this.refreshList();
  }

  setSearch(search: string): void {
    this.#set({ search });
    clearTimeout(this.#searchRefresh);
    this.#searchRefresh = setTimeout(() => void this.refreshList(), 250);
  }

  async refreshList(): Promise<void> {
    const request = ++this.#listRequest;
    const { filter, search } = this.state;
    const payload: ConversationListPayload = { filter, limit: 100, ...(search.trim() ? { search: search.trim() } : {}) };
    const response = await this.#ack<ConversationSummary[]>(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("conversation-list", payload));
    if (request !== this.#listRequest) return;
    if (response.ok) this.#set({ list: sortConversations(response.data), listError: null });
    else this.#set({ listError: response.error, list: this.state.list ?? [] });
  }

  async #refreshWaiting(): Promise<void> {
    const response = await this.#ack<ConversationSummary[]>(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("conversation-list", { filter: "waiting", limit: 200 }));
    if (response.ok) this.#set({ waiting: new Map(response.data.map((summary) => [summary.id, summary])) });
  }

  #updated(summary: ConversationSummary): void {
    const { list, filter, search, me, open } = this.state;
    const waiting = new Map(this.state.waiting);
    if (summary.state === "waiting") waiting.set(summary.id, summary);
    else waiting.delete(summary.id);
    let nextList = list;
    if (list) {
      const index = list.findIndex((row) => row.id === summary.id);
      const matches = matchesFilter(summary, filter, me);
      if (index >= 0) {
        nextList = matches || summary.id === open?.id ? list.map((row) => (row.id === summary.id ? summary : row)) : list.filter((row) => row.id !== summary.id);
      } else if (matches && !search.trim()) {
        nextList = [...list, summary];
      }
      if (search.trim()) {
        // A new message may now match the search: ask again, at most a few times a second.
        clearTimeout(this.#searchRefresh);
        this.#searchRefresh = setTimeout(() => void this.refreshList(), 400);
      }
      nextList = sortConversations(nextList ?? []);
    }
    this.#set({ waiting, list: nextList });
    if (open?.id === summary.id) this.#patchOpen(summary.id, { summary });
  }

  #handoff(summary: ConversationSummary): void {
    this.#updated(summary);
    const t = this.hooks.t();
    const body = summary.handoff?.question ?? summary.lastMessage ?? "";
    const looking = this.state.open?.id === summary.id && document.visibilityState === "visible";
    if (!looking) this.toast({ kind: "handoff", title: t("toast.handoff"), body, conversationId: summary.id });
    if (this.state.presence === "online") {
      beep();
      if (document.visibilityState !== "visible" || !document.hasFocus()) {
        desktopNotify(t("notification.title"), body, `handoff-${summary.id}`, () => this.open(summary.id));
      }
    }
  }

  // ---- the open conversation ------------------------------------------------------------------

  open(id: string | null): void {
    const previous = this.state.open;
    if (previous?.id === id) return;
    if (previous && this.socket.connected) this.socket.emit("conversation-unwatch", { conversationId: previous.id });
    if (!id) {
      this.#set({ open: null });
      return;
    }
    const summary = this.state.list?.find((row) => row.id === id) ?? this.state.waiting.get(id) ?? null;
    for (const toast of this.state.toasts) if (toast.conversationId === id) this.dismissToast(toast.id);
    // The conversation left open was kept in the list after it stopped matching the filter: drop it now.
    const { list, filter, me, search } = this.state;
    if (list && previous && !search.trim()) {
      const stale = list.find((row) => row.id === previous.id && !matchesFilter(row, filter, me));
      if (stale) this.#set({ list: list.filter((row) => row !== stale) });
    }
    this.#live = new LiveAnswerTexts();
    this.#set({
      open: { id, summary, events: new Map(), live: this.#live.texts, notes: [], actions: [], loading: true, loadError: null, banner: null, shopperTypingUntil: 0, botTyping: false, pending: [] },
    });
    if (this.socket.connected) void this.#watch(id);
  }

  /** Watch the open conversation: what came after the events already shown, then live events. */
  async #watch(id: string): Promise<void> {
    const afterSeq = this.state.open?.id === id ? lastSeq(this.state.open.events) : 0;
    const response = await this.#ack<ConversationDetail>(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("conversation-watch", { conversationId: id, afterSeq }));
    if (!response.ok) {
      this.#patchOpen(id, { loading: false, loadError: response.error });
      return;
    }
    const detail = response.data;
    this.#patchOpen(id, (open) => {
      const events = mergeEvents(open.events, detail.events);
      this.#live.snapshot(detail.streaming);
      for (const event of detail.events) if (event.type === "answer-end") this.#live.end(event.answerId);
      let notes = open.notes;
      for (const note of detail.notes) notes = addNote(notes, note);
      return { summary: detail.summary, events, live: this.#live.texts, notes, actions: detail.actions, loading: false, loadError: null, pending: settle(open.pending, events) };
    });
  }

  #event(event: ConversationEvent): void {
    this.#patchOpen(event.conversationId, (open) => {
      const events = mergeEvents(open.events, [event]);
      if (events === open.events) return {};
      const patch: Partial<OpenConversation> = { events, pending: settle(open.pending, events) };
      if (event.type === "message" && event.author === "shopper") patch.shopperTypingUntil = 0;
      if (event.type === "answer-end") {
        patch.botTyping = false;
        if (this.#live.end(event.answerId)) patch.live = this.#live.texts;
      }
      return patch;
    });
  }

  /** Highest seq seen in the open conversation (what a reconnect catches up from). */
  get openLastSeq(): number {
    return this.state.open ? lastSeq(this.state.open.events) : 0;
  }

  async takeOver(): Promise<void> {
    await this.#action("take-over", (conversationId) => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("conversation-take-over", { conversationId }), "action.tookOver");
  }

  async handBack(): Promise<void> {
    await this.#action("hand-back", (conversationId) => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("conversation-hand-back", { conversationId }));
  }

  async close(): Promise<void> {
    await this.#action("close", (conversationId) => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("conversation-close", { conversationId }));
  }

  async #action(name: string, run: (conversationId: string) => Promise<Ack<ConversationSummary>>, success?: "action.tookOver"): Promise<void> {
    const open = this.state.open;
    if (!open || this.state.busy) return;
    const t = this.hooks.t();
    this.#set({ busy: name });
    this.#patchOpen(open.id, { banner: null });
    const response = await this.#ack<ConversationSummary>(() => run(open.id));
    this.#set({ busy: null });
    if (response.ok) {
      this.#updated(response.data);
      const banner = success ? { kind: "info" as const, title: t(success), message: "" } : null;
      this.#patchOpen(open.id, { banner });
      if (banner) setTimeout(() => this.#patchOpen(open.id, (current) => (current.banner === banner ? { banner: null } : {})), 6_000);
      return;
    }
    const title = response.error.code === "CONFLICT" ? t("action.conflict") : t("action.failed");
    this.#patchOpen(open.id, { banner: { kind: "error", title, message: response.error.message } });
  }

  dismissBanner(): void {
    if (this.state.open) this.#patchOpen(this.state.open.id, { banner: null });
  }

  async reply(text: string, clientId: string = randomId()): Promise<void> {
    const open = this.state.open;
    if (!open) return;
    const id = open.id;
    this.#patchOpen(id, (current) => ({
      pending: [...current.pending.filter((item) => item.clientId !== clientId), { clientId, text, status: "sending", seq: null, error: null }],
    }));
    const response = await this.#ack<{ seq: number; duplicate: boolean }>(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("agent-reply", { conversationId: id, clientId, text }));
    this.#patchOpen(id, (current) => {
      const pending = current.pending.map((item): PendingReply =>
        item.clientId !== clientId ? item : response.ok ? { ...item, status: "sent", seq: response.data.seq } : { ...item, status: "failed", error: response.error.message },
      );
      return { pending: settle(pending, current.events) };
    });
  }

  retry(clientId: string): void {
    const item = this.state.open?.pending.find((pending) => pending.clientId === clientId);
    if (item) void this.reply(item.text, clientId);
  }

  discard(clientId: string): void {
    if (this.state.open) this.#patchOpen(this.state.open.id, (open) => ({ pending: open.pending.filter((item) => item.clientId !== clientId) }));
  }

  async addNote(text: string): Promise<Failure | null> {
    const open = this.state.open;
    if (!open) return null;
    const response = await this.#ack<Note>(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("note-add", { conversationId: open.id, text }));
    if (response.ok) this.#patchOpen(open.id, (current) => ({ notes: addNote(current.notes, response.data) }));
    return failure(response);
  }

  typing(isTyping: boolean): void {
    const open = this.state.open;
    if (open && this.socket.connected) this.socket.emit("typing", { conversationId: open.id, isTyping });
  }

  useDraft(text: string): void {
    const open = this.state.open;
    if (open) this.#set({ inject: { conversationId: open.id, text, nonce: Date.now() } });
  }

  // ---- presence and toasts --------------------------------------------------------------------

  setPresence(presence: Presence): void {
    localStorage.setItem("kefu.presence", presence);
    this.#set({ presence });
    this.#sendPresence();
  }

  #sendPresence(): void {
    if (!this.socket.connected) return;
    void this.#ack<{ onlineAgents: number }>(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("presence-set", { status: this.state.presence })).then((response) => {
      if (response.ok) this.#set({ onlineAgents: response.data.onlineAgents });
    });
  }

  toast(toast: Omit<Toast, "id">): void {
    const id = randomId();
    this.#set({ toasts: [...this.state.toasts.slice(-3), { ...toast, id }] });
    this.#toastTimers.set(id, setTimeout(() => this.dismissToast(id), toast.kind === "handoff" ? 15_000 : 8_000));
  }

  dismissToast(id: string): void {
    clearTimeout(this.#toastTimers.get(id));
    this.#toastTimers.delete(id);
    this.#set({ toasts: this.state.toasts.filter((toast) => toast.id !== id) });
  }

  async #ack<T>(run: () => Promise<Ack<T>>): Promise<Ack<T>> {
    try {
      return await run();
    } catch {
      return { ok: false, error: { code: "INTERNAL", message: this.hooks.t()("error.timeout") } };
    }
  }
}
