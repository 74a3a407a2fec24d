import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ConversationSummary } from "../../../../src/protocol/agent-events.ts";
import { useDesk, useLang } from "../hooks.ts";
import { Icon } from "./bits.tsx";

type Mode = "reply" | "note";

/** Unsent text per conversation, so switching conversations never loses a half-written reply. */
const drafts = new Map<string, { text: string; mode: Mode }>();
/** The last "use draft" applied, so a composer mounted later does not apply it again. */
let appliedNonce = 0;

const TYPING_REFRESH_MS = 2_500;
const TYPING_IDLE_MS = 3_000;

export function Composer(props: { conversationId: string; summary: ConversationSummary | null; mine: boolean; offline: boolean }) {
  const { t } = useLang();
  const [desk, state] = useDesk();
  const saved = drafts.get(props.conversationId);
  const [text, setText] = useState(saved?.text ?? "");
  const [mode, setMode] = useState<Mode>(saved?.mode ?? "reply");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const composing = useRef(false);
  const typingSentAt = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    drafts.set(props.conversationId, { text, mode });
  }, [text, mode]);

  // "Use draft" from the evidence panel.
  const inject = state.inject;
  useLayoutEffect(() => {
    if (!inject || inject.conversationId !== props.conversationId || inject.nonce <= appliedNonce) return;
    appliedNonce = inject.nonce;
    setMode("reply");
    setText(inject.text);
    requestAnimationFrame(() => {
      const element = area.current;
      if (!element) return;
      element.focus();
      element.setSelectionRange(element.value.length, element.value.length);
    });
  }, [inject?.nonce]);

  // Grow with the text up to a limit.
  useLayoutEffect(() => {
    const element = area.current;
    if (!element) return;
    element.style.height = "auto";
    element.style.height = `${Math.min(element.scrollHeight, 220)}px`;
  }, [text, mode]);

  const stopTyping = () => {
    clearTimeout(idleTimer.current);
    if (typingSentAt.current) {
      typingSentAt.current = 0;
      desk.typing(false);
    }
  };
  useEffect(() => stopTyping, []);

  const state_ = props.summary?.state;
  const closed = state_ === "closed";
  const canReply = props.mine && !closed;
  const canSend = mode === "note" ? !props.offline : canReply && !props.offline;

  const onInput = (value: string) => {
    setText(value);
    setError(null);
    if (mode !== "reply" || !canReply) return;
    const now = Date.now();
    if (value.trim() && now - typingSentAt.current > TYPING_REFRESH_MS) {
      typingSentAt.current = now;
      desk.typing(true);
    }
    clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const submit = async () => {
    const value = text.trim();
    if (!value || !canSend || sending) return;
    if (mode === "reply") {
      stopTyping();
      setText("");
      await desk.reply(value);
      return;
    }
    setSending(true);
    const failure = await desk.addNote(value);
    setSending(false);
    if (failure) setError(failure.message);
    else setText("");
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Enter" || event.shiftKey || event.altKey) return;
    // An Enter that confirms an IME candidate (Chinese, Japanese, Korean input) must never send.
    if (event.isComposing || composing.current || event.keyCode === 229) return;
    event.preventDefault();
    void submit();
  };

  const hint = closed ? t("composer.closed") : !props.mine && mode === "reply" ? (props.summary?.state === "agent" ? t("composer.ownedBy", { name: props.summary.assignedAgent?.name ?? "" }) : t("composer.takeOverFirst")) : null;

  return (
    <form
      class={`composer composer-${mode}`}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div class="composer-tabs" role="group" aria-label={t("composer.mode")}>
        {(["reply", "note"] as const).map((name) => (
          <button
            type="button"
            aria-pressed={mode === name}
            class={`composer-tab composer-tab-${name}`}
            onClick={() => {
              setMode(name);
              area.current?.focus();
            }}
          >
            {name === "note" && <Icon name="lock" size={13} />}
            {t(name === "reply" ? "composer.reply" : "composer.note")}
          </button>
        ))}
        {mode === "note" && <span class="note-banner">{t("composer.noteBanner")}</span>}
      </div>
      <textarea
        ref={area}
        rows={2}
        value={text}
        aria-label={mode === "reply" ? t("composer.reply") : t("composer.note")}
        placeholder={mode === "reply" ? t("composer.replyPlaceholder") : t("composer.notePlaceholder")}
        onInput={(event) => onInput(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        onCompositionStart={() => (composing.current = true)}
        onCompositionEnd={() => {
          // Safari fires the confirming Enter's keydown after compositionend: clear the flag a tick later.
          setTimeout(() => (composing.current = false), 0);
        }}
        onBlur={stopTyping}
        maxLength={4000}
      />
      <div class="composer-foot">
        {error ? (
          <span class="composer-error" role="alert">
            {error}
          </span>
        ) : hint ? (
          <span class="composer-hint">{hint}</span>
        ) : (
          <span class="composer-hint muted">{mode === "reply" ? t("composer.keys") : t("notes.hint")}</span>
        )}
        {hint && !closed && props.summary && (props.summary.state === "waiting" || props.summary.state === "bot") && (
          <button type="button" class="btn btn-secondary btn-sm" disabled={props.offline || state.busy !== null} onClick={() => desk.takeOver()}>
            {t("action.takeOver")}
          </button>
        )}
        <button type="submit" class={`btn btn-sm ${mode === "note" ? "btn-note" : "btn-primary"}`} disabled={!canSend || !text.trim() || sending}>
          {mode === "reply" ? t("composer.send") : t("composer.addNote")}
        </button>
      </div>
    </form>
  );
}
