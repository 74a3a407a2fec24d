import { useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from "preact/hooks";
import type { Locale } from "../../../../shared/locale.ts";
import type { Identity } from "../../bridge-messages.ts";
import type { Bridge } from "../bridge.ts";
import type { ChatClient } from "../chat-client.ts";
import type { ChatView } from "../chat-view.ts";
import type { FrameStorage } from "../frame-storage.ts";
import { STRINGS } from "../i18n.ts";
import { buildTimeline, isIncoming, type TimelineItem } from "../timeline.ts";
import { Composer } from "./composer.tsx";
import { ContactForm } from "./contact-form.tsx";
import { MessageList } from "./message-list.tsx";
import { PanelHeader } from "./panel-header.tsx";

type Props = {
  client: ChatClient;
  bridge: Bridge;
  storage: FrameStorage;
  initial: { locale: Locale; open: boolean; identity: Identity | null; title: string | null };
};

/** The chat panel: header, conversation, hand-off contact form, typing indicator and message box. */
export function ChatPanel({ client, bridge, storage, initial }: Props) {
  const view = useChatView(client);
  const [locale, setLocale] = useState<Locale>(initial.locale);
  const [open, setOpen] = useState(initial.open);
  const [identity, setIdentity] = useState<Identity | null>(initial.identity);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const logRef = useRef<HTMLOListElement>(null);
  const t = STRINGS[locale];
  const timeline = useMemo(() => buildTimeline(view.events, view.outbox, t, view.live), [view, t]);
  const [page, setPage] = useState(0);
  const chips = useChips(client, [locale, page, view.connection]);
  const agentName = useMemo(() => currentAgent(view), [view]);

  useEffect(() => {
    bridge.on((message) => {
      if (message.type === "open") {
        setOpen(true);
        if (message.focus) inputRef.current?.focus();
      } else if (message.type === "close") setOpen(false);
      else if (message.type === "set-product") {
        client.setProduct(message.productId);
        setPage((count) => count + 1);
      }
      else if (message.type === "set-locale") {
        setLocale(message.locale);
        client.setLocale(message.locale);
      } else if (message.type === "identify") setIdentity(message.identity);
    });
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && bridge.embedded) bridge.post({ type: "close" });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale === "zh" ? "zh-CN" : "en";
  }, [locale]);

  useUnreadBadge(timeline.items, open, bridge, storage);
  const announcement = useAnnouncement(timeline.items, t, open);
  useStickToBottom(logRef, timeline.items);

  const switchLanguage = () => {
    const next: Locale = locale === "zh" ? "en" : "zh";
    setLocale(next);
    storage.set("locale", next);
    client.setLocale(next);
    bridge.post({ type: "locale", locale: next });
  };

  const empty = view.events.length === 0 && view.outbox.length === 0;
  const typing = view.typing.agent ? t.typingAgent(agentName ?? t.agent) : view.typing.bot && !timeline.streaming && view.state === "bot" ? t.typingBot : null;

  return (
    <section class="panel" aria-labelledby="panel-title" data-conversation-id={view.conversationId ?? undefined} data-connection={view.connection} data-state={view.state} data-open={String(open)}>
      <PanelHeader
        t={t}
        title={initial.title ?? t.title}
        state={view.state}
        agentName={agentName}
        connection={view.connection}
        onSwitchLanguage={switchLanguage}
        onClose={bridge.embedded ? () => bridge.post({ type: "close" }) : null}
      />
      {view.connection === "offline" && (
        <p class="banner offline" role="status">
          {t.offline}
        </p>
      )}
      <div class="scroller" ref={logRef as never}>
        <ol class="log" aria-label={t.log} aria-live="off">
          <li class="row bot greeting">
            <div class="bubble">
              <p class="text">{t.greeting}</p>
            </div>
          </li>
          <MessageList
            items={timeline.items}
            t={t}
            ratings={view.ratings}
            onRate={(answerId, rating) => void client.rate(answerId, rating)}
            onOpenProduct={(answerId, sku) => client.openedProduct(answerId, sku)}
            onRetry={(clientId) => client.retry(clientId)}
            linkBase={bridge.parentOrigin ?? location.origin}
          />
        </ol>
        {empty && (
          <div class="suggestions" role="group" aria-label={t.suggestionsLabel}>
            {[...chips, ...t.suggestions].map((question) => (
              <button key={question} type="button" class="chip" onClick={() => client.send(question)}>
                {question}
              </button>
            ))}
          </div>
        )}
        {timeline.contactWanted && view.state === "waiting" && <ContactForm t={t} identity={identity} onSubmit={(contact) => client.leaveContact(contact, t.statusOffline)} />}
      </div>
      <p class="typing" aria-hidden={typing ? "false" : "true"}>
        {typing && (
          <>
            <span class="dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {typing}
          </>
        )}
      </p>
      <Composer t={t} inputRef={inputRef} onSend={(text) => client.send(text)} onTyping={() => client.noteTyping()} />
      <p class="powered">{t.poweredBy}</p>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </section>
  );
}

/** The server's question chips for this page and language, fetched again when either changes or the connection returns. */
function useChips(client: ChatClient, keys: unknown[]): string[] {
  const [chips, setChips] = useState<string[]>([]);
  useEffect(() => {
    let current = true;
    void client.suggestions().then((suggestions) => current && setChips(suggestions.map((suggestion) => suggestion.text)));
    return () => {
      current = false;
    };
  }, keys);
  return chips;
}

function useChatView(client: ChatClient): ChatView {
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  useEffect(() => client.subscribe(() => rerender(undefined)), [client]);
  return client.view;
}

/** The agent now talking to the shopper: the one who took over last, or who last wrote. */
function currentAgent(view: ChatView): string | null {
  for (let index = view.events.length - 1; index >= 0; index -= 1) {
    const event = view.events[index]!;
    if (event.type === "state-changed" && event.state === "agent" && event.by) return event.by;
    if (event.type === "message" && event.author === "agent" && event.authorName) return event.authorName;
  }
  return null;
}

/** Replies that arrive while the panel is closed raise the launcher's badge; opening it clears the badge. */
function useUnreadBadge(items: readonly TimelineItem[], open: boolean, bridge: Bridge, storage: FrameStorage): void {
  const lastRead = useRef<number | null>(storage.get("read") === null ? null : Number(storage.get("read")));
  const posted = useRef(-1);
  useEffect(() => {
    const incoming = items.filter((item) => item.seq !== null && isIncoming(item)).map((item) => item.seq!);
    const newest = Math.max(0, ...incoming);
    // History from before this widget kept a read mark counts as read.
    if (lastRead.current === null || open) {
      if (lastRead.current !== newest) storage.set("read", String(newest));
      lastRead.current = newest;
    }
    const unread = incoming.filter((seq) => seq > lastRead.current!).length;
    if (unread !== posted.current) {
      posted.current = unread;
      bridge.post({ type: "unread", count: unread });
    }
  }, [items, open]);
}

/** A polite live region reads out each finished reply once (never the history, never every streamed word). */
function useAnnouncement(items: readonly TimelineItem[], t: (typeof STRINGS)["en"], open: boolean): string {
  const announced = useRef<Set<string> | null>(null);
  const [text, setText] = useState("");
  useEffect(() => {
    const finished = items.filter((item) => item.seq !== null && isIncoming(item));
    if (announced.current === null) {
      announced.current = new Set(finished.map((item) => item.key));
      return;
    }
    const fresh = finished.filter((item) => !announced.current!.has(item.key));
    for (const item of fresh) announced.current.add(item.key);
    const last = fresh.at(-1);
    if (!last || !open) return;
    if (last.kind === "answer") setText(t.announceBot(last.text));
    else if (last.kind === "message") setText(last.author === "agent" ? t.announceAgent(last.name ?? t.agent, last.text) : t.announceBot(last.text));
    else setText(last.text);
  }, [items, open]);
  return text;
}

/** Follow new messages while the shopper is at the bottom; leave them alone while they scroll back. */
function useStickToBottom(ref: { current: HTMLElement | null }, items: readonly TimelineItem[]): void {
  const atBottom = useRef(true);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const onScroll = () => {
      atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
    };
    element.addEventListener("scroll", onScroll, { passive: true });
    return () => element.removeEventListener("scroll", onScroll);
  }, []);
  useLayoutEffect(() => {
    const element = ref.current;
    const last = items.at(-1);
    const mine = last?.kind === "message" && last.author === "shopper" && last.seq === null;
    if (element && (atBottom.current || mine)) element.scrollTop = element.scrollHeight;
  }, [items]);
}
