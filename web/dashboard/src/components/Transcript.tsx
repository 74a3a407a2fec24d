import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { AgentAction, AgentProfile, ConversationSummary, Note } from "../../../../src/protocol/agent-events.ts";
import type { Citation } from "../../../../src/protocol/conversation-events.ts";
import { saveFaqDraft } from "../api.ts";
import type { OpenConversation, PendingReply } from "../desk-state.ts";
import { clock } from "../format.ts";
import { useDesk, useLang, useNow } from "../hooks.ts";
import { reasonLabel, type Translate } from "../i18n.ts";
import { buildTranscript, type TranscriptItem } from "../timeline.ts";
import { Icon } from "./bits.tsx";

type Row = TranscriptItem | { kind: "note"; key: string; at: string; note: Note };

export function Transcript(props: { open: OpenConversation }) {
  const { t, lang } = useLang();
  const [desk, state] = useDesk();
  const { open } = props;
  const now = useNow(2_000);
  const items = useMemo(() => buildTranscript(open.events, open.live), [open.events, open.live]);
  // Internal notes sit in the transcript where they were written, marked as agents-only.
  const rows = useMemo(() => interleave(items, open.notes), [items, open.notes]);
  const whoIs = (id: string | null) => agentName(id, state.me, open.actions, open.summary, t);
  const questions = useMemo(() => faqQuestions(items, open.summary), [items, open.summary?.handoff]);
  const lastAgentKey = useMemo(() => items.findLast((item) => item.kind === "message" && item.author === "agent")?.key, [items]);

  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const last = rows[rows.length - 1];
  const tail = `${rows.length}:${last && last.kind === "answer" ? last.text.length : 0}:${open.pending.length}:${open.shopperTypingUntil > now}`;
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [tail, open.id]);
  // Stay at the bottom when the view shrinks (a banner, the composer growing).
  useEffect(() => {
    const element = scroller.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const shopperTyping = open.shopperTypingUntil > now;
  const botStreaming = items.some((item) => item.kind === "answer" && item.status === "streaming");

  return (
    <div
      class="transcript"
      ref={scroller}
      tabIndex={0}
      role="log"
      aria-live="polite"
      aria-label={t("transcript.label")}
      aria-busy={open.loading}
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
      }}
    >
      {open.loading && rows.length === 0 && <p class="transcript-loading">{t("view.loading")}</p>}
      <ol class="items">
        {rows.map((row, index) => {
          const previous = rows[index - 1];
          const grouped = previous !== undefined && sameSpeaker(previous, row);
          return (
            <li key={row.key} class={`item item-${row.kind} ${grouped ? "grouped" : ""}`} data-seq={"seq" in row ? row.seq : undefined}>
              <RowView row={row} grouped={grouped} whoIs={whoIs} t={t} lang={lang} />
              {row.kind === "message" && questions.has(row.key) && (
                <SaveAsFaq conversationId={open.id} messageKey={row.key} question={questions.get(row.key)!} answer={row.text} latest={row.key === lastAgentKey} />
              )}
            </li>
          );
        })}
        {open.pending.map((pending) => (
          <li key={pending.clientId} class="item item-message">
            <PendingView pending={pending} onRetry={() => desk.retry(pending.clientId)} onDiscard={() => desk.discard(pending.clientId)} />
          </li>
        ))}
      </ol>
      {(shopperTyping || (open.botTyping && !botStreaming)) && (
        <p class="typing" role="status">
          <span class="typing-dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {shopperTyping ? t("transcript.typing") : t("transcript.botTyping")}
        </p>
      )}
    </div>
  );
}

/** The FAQ drafts saved from this page, by conversation and message, so the button stays "saved". */
const savedDrafts = new Set<string>();

/** "Save as FAQ draft" under an agent's reply: one click turns question and reply into a draft for an admin. */
function SaveAsFaq(props: { conversationId: string; messageKey: string; question: string; answer: string; latest: boolean }) {
  const { t } = useLang();
  const key = `${props.conversationId}:${props.messageKey}`;
  const [status, setStatus] = useState<"idle" | "saving" | "saved" | { error: string }>(savedDrafts.has(key) ? "saved" : "idle");
  const save = async () => {
    setStatus("saving");
    try {
      await saveFaqDraft({ question: props.question, answer: props.answer, conversationId: props.conversationId });
      savedDrafts.add(key);
      setStatus("saved");
    } catch (error) {
      setStatus({ error: (error as Error).message });
    }
  };
  return (
    <div class={`faq-save ${props.latest || status !== "idle" ? "faq-save-shown" : ""}`}>
      {status === "saved" ? (
        <span class="tag tag-ok" role="status">
          <Icon name="check" size={13} /> {t("faq.saved")}
        </span>
      ) : (
        <button type="button" class="btn btn-quiet btn-xs" title={t("faq.saveHint", { question: props.question })} disabled={status === "saving"} aria-busy={status === "saving"} onClick={save}>
          <Icon name="book" size={13} /> {t("faq.save")}
        </button>
      )}
      {typeof status === "object" && (
        <span class="tag tag-error" role="alert">
          {status.error}
        </span>
      )}
    </div>
  );
}

const QUESTION_REASONS = new Set(["low-confidence", "repeated-failure", "llm-unavailable", "search-unavailable", "bot-budget"]);

/**
 * The shopper question each agent reply answers: the handed-off question for the first reply
 * after a hand-off for missing knowledge, else the shopper's last message before the reply.
 */
function faqQuestions(items: TranscriptItem[], summary: ConversationSummary | null): Map<string, string> {
  const handoff = summary?.handoff;
  const handoffQuestion = handoff?.question && QUESTION_REASONS.has(handoff.reason) ? handoff.question : null;
  const questions = new Map<string, string>();
  let lastShopper: string | null = null;
  let repliedSinceHandoff = false;
  for (const item of items) {
    if (item.kind !== "message") continue;
    if (item.author === "shopper") lastShopper = item.text;
    if (item.author !== "agent") continue;
    const afterHandoff = handoff !== null && handoff !== undefined && Date.parse(item.at) >= Date.parse(handoff.at);
    const question = handoffQuestion && afterHandoff && !repliedSinceHandoff ? handoffQuestion : lastShopper;
    if (afterHandoff) repliedSinceHandoff = true;
    if (question) questions.set(item.key, question);
  }
  return questions;
}

function interleave(items: TranscriptItem[], notes: Note[]): Row[] {
  if (notes.length === 0) return items;
  const rows: Row[] = [];
  let n = 0;
  for (const item of items) {
    while (n < notes.length && Date.parse(notes[n]!.at) < Date.parse(item.at)) rows.push(noteRow(notes[n++]!));
    rows.push(item);
  }
  while (n < notes.length) rows.push(noteRow(notes[n++]!));
  return rows;
}

const noteRow = (note: Note): Row => ({ kind: "note", key: `n${note.id}`, at: note.at, note });

function speaker(row: Row): string | null {
  if (row.kind === "message") return `${row.author}:${row.authorName ?? ""}`;
  if (row.kind === "answer") return "bot:";
  return null;
}

function sameSpeaker(a: Row, b: Row): boolean {
  const sa = speaker(a);
  return sa !== null && sa === speaker(b) && Date.parse(b.at) - Date.parse(a.at) < 5 * 60_000;
}

/** Who did it: state changes name the agent by name or id; the current agent is "You". */
function agentName(id: string | null, me: AgentProfile, actions: AgentAction[], summary: ConversationSummary | null, t: Translate): string {
  if (!id) return "";
  if (id === me.id || id === me.name) return t("view.youSubject");
  const action = actions.find((entry) => entry.agentId === id);
  if (action) return action.agentName;
  if (summary?.assignedAgent?.id === id) return summary.assignedAgent.name;
  return id;
}

function RowView(props: { row: Row; grouped: boolean; whoIs: (id: string | null) => string; t: Translate; lang: "en" | "zh" }) {
  const { row, t, lang } = props;
  switch (row.kind) {
    case "message": {
      if (row.author === "system") return <p class="divider">{row.text}</p>;
      const label = row.author === "agent" ? (row.authorName ?? t("transcript.agent")) : t(`transcript.${row.author}`);
      return (
        <div class={`bubble-wrap from-${row.author}`}>
          {!props.grouped && <Meta label={label} at={row.at} lang={lang} author={row.author} />}
          <div class={`bubble bubble-${row.author}`}>{row.text}</div>
        </div>
      );
    }
    case "answer":
      return (
        <div class="bubble-wrap from-bot">
          {!props.grouped && <Meta label={t("transcript.bot")} at={row.at} lang={lang} author="bot" />}
          <div class={`bubble bubble-bot ${row.status === "streaming" ? "streaming" : ""} ${row.status !== "complete" && row.status !== "streaming" ? "ended-early" : ""}`}>
            {row.text}
            {row.status === "streaming" && <span class="caret" aria-label={t("transcript.streaming")} />}
          </div>
          {(row.citations.length > 0 || row.confidence || (row.status !== "complete" && row.status !== "streaming")) && (
            <div class="answer-foot">
              {row.status !== "complete" && row.status !== "streaming" && <span class="tag tag-warn">{t(`transcript.${row.status}`)}</span>}
              {row.confidence && (
                <span class={`tag ${row.confidence.score < row.confidence.threshold ? "tag-warn" : ""}`}>{t("transcript.confidence", { score: row.confidence.score.toFixed(2) })}</span>
              )}
              {row.citations.map((citation) => (
                <SourceChip citation={citation} />
              ))}
            </div>
          )}
        </div>
      );
    case "state":
      return <p class={`divider divider-${row.state}`}>{stateText(row, props.whoIs, t)}</p>;
    case "notice":
      return (
        <p class="divider divider-notice">
          <Icon name="info" size={13} /> {row.text}
        </p>
      );
    case "contact":
      return (
        <div class="contact-card">
          <strong>{t("transcript.contact")}</strong>
          <dl>
            {row.name && <dd>{row.name}</dd>}
            {row.email && (
              <dd>
                <a href={`mailto:${row.email}`}>{row.email}</a>
              </dd>
            )}
            {row.phone && (
              <dd>
                <a href={`tel:${row.phone.replace(/\s/g, "")}`}>{row.phone}</a>
              </dd>
            )}
            {row.message && <dd class="contact-message">{row.message}</dd>}
          </dl>
        </div>
      );
    case "note":
      return (
        <div class="note">
          <div class="note-head">
            <Icon name="lock" size={13} />
            <strong>{t("composer.note")}</strong>
            <span>· {t("notes.hint")}</span>
            <span class="note-by">
              {row.note.agentName} · {clock(row.note.at, lang)}
            </span>
          </div>
          <div class="note-text">{row.note.text}</div>
        </div>
      );
  }
}

function stateText(row: TranscriptItem & { kind: "state" }, whoIs: (id: string | null) => string, t: Translate): string {
  const name = whoIs(row.by);
  switch (row.state) {
    case "waiting":
      return t("event.waiting", { reason: reasonLabel(t, row.reason) || "—" });
    case "agent":
      return t("event.agent", { name: name || t("transcript.agent") });
    case "bot":
      if (row.reason === "shopper-returned") return t("event.reopened");
      return name ? t("event.botBy", { name }) : t("event.bot");
    case "closed":
      return name ? t("event.closedBy", { name }) : t("event.closed");
  }
}

function Meta(props: { label: string; at: string; lang: "en" | "zh"; author: string }) {
  return (
    <div class="meta">
      <span class={`who who-${props.author}`}>{props.label}</span>
      <time dateTime={props.at}>{clock(props.at, props.lang)}</time>
    </div>
  );
}

export function SourceChip(props: { citation: Citation }) {
  const { citation } = props;
  const label = `${citation.marker !== null ? `[${citation.marker}] ` : ""}${citation.title}`;
  return citation.url ? (
    <a class="source" href={citation.url} target="_blank" rel="noopener noreferrer" title={citation.passageId}>
      {label}
      <Icon name="link" size={12} />
    </a>
  ) : (
    <span class="source" title={citation.passageId}>
      {label}
    </span>
  );
}

function PendingView(props: { pending: PendingReply; onRetry: () => void; onDiscard: () => void }) {
  const { t } = useLang();
  const { pending } = props;
  return (
    <div class="bubble-wrap from-agent">
      <div class={`bubble bubble-agent pending pending-${pending.status}`}>{pending.text}</div>
      <div class="answer-foot">
        {pending.status === "failed" ? (
          <>
            <span class="tag tag-error" role="alert">
              {t("transcript.sendFailed")}
              {pending.error ? `: ${pending.error}` : ""}
            </span>
            <button type="button" class="btn btn-quiet btn-xs" onClick={props.onRetry}>
              {t("transcript.retry")}
            </button>
            <button type="button" class="btn btn-quiet btn-xs" onClick={props.onDiscard}>
              {t("transcript.discard")}
            </button>
          </>
        ) : (
          <span class="muted small">{t("transcript.sending")}</span>
        )}
      </div>
    </div>
  );
}
