import { useEffect, useState } from "preact/hooks";
import type { ConversationState } from "../../../../src/protocol/conversation-events.ts";
import { useLang } from "../hooks.ts";
import { reasonLabel } from "../i18n.ts";

export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="currentColor" />
      <path d="M9 10.5h14v8.5h-8l-4.2 3.2V19H9z" fill="#fff" />
    </svg>
  );
}

export function LangSwitch() {
  const { lang, t, setLang } = useLang();
  return (
    <button type="button" class="btn btn-quiet btn-sm" lang={lang === "zh" ? "en" : "zh"} aria-label={t("lang.label")} onClick={() => setLang(lang === "zh" ? "en" : "zh")}>
      {t("lang.switch")}
    </button>
  );
}

export function StateBadge(props: { state: ConversationState }) {
  const { t } = useLang();
  return <span class={`badge badge-${props.state}`}>{t(`state.${props.state}`)}</span>;
}

export function ReasonChip(props: { reason: string | null | undefined; score?: number | null | undefined; threshold?: number | null | undefined }) {
  const { t } = useLang();
  if (!props.reason) return null;
  const low = props.score != null && props.threshold != null && props.score < props.threshold;
  return (
    <span class="reason">
      {reasonLabel(t, props.reason)}
      {props.score != null && <span class={`score ${low ? "score-low" : ""}`}>{props.score.toFixed(2)}</span>}
    </span>
  );
}

const paths = {
  search: "M10.5 4a6.5 6.5 0 1 0 4.03 11.6l4.43 4.43 1.06-1.06-4.43-4.43A6.5 6.5 0 0 0 10.5 4Zm0 1.5a5 5 0 1 1 0 10 5 5 0 0 1 0-10Z",
  close: "M6.7 5.6 12 10.9l5.3-5.3 1.1 1.1-5.3 5.3 5.3 5.3-1.1 1.1-5.3-5.3-5.3 5.3-1.1-1.1 5.3-5.3-5.3-5.3z",
  link: "M13 5h6v6h-1.5V7.6l-6.7 6.7-1.1-1.1 6.7-6.7H13zM5 7h6v1.5H6.5v9h9V13H17v6H5z",
  lock: "M12 3a4 4 0 0 0-4 4v3H6.5v10h11V10H16V7a4 4 0 0 0-4-4Zm0 1.5A2.5 2.5 0 0 1 14.5 7v3h-5V7A2.5 2.5 0 0 1 12 4.5Z",
  bell: "M12 3a6 6 0 0 0-6 6v4l-1.5 3h15L18 13V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0z",
  back: "M14.7 5.3 8 12l6.7 6.7 1.1-1.1L10.2 12l5.6-5.6z",
  user: "M12 4a4 4 0 1 1 0 8 4 4 0 0 1 0-8Zm0 9.5c3.6 0 6.5 1.9 6.5 4.5v1.5h-13V18c0-2.6 2.9-4.5 6.5-4.5Z",
  bot: "M11.25 3h1.5v2H17a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2h4.25zM9 10a1.25 1.25 0 1 0 0 2.5A1.25 1.25 0 0 0 9 10Zm6 0a1.25 1.25 0 1 0 0 2.5A1.25 1.25 0 0 0 15 10Zm-6 4v1.5h6V14z",
  page: "M6 3h8l4 4v14H6zm1.5 1.5v15h9V8H13V4.5z",
  info: "M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18Zm-.75 7v7h1.5v-7zm.75-3.5a1 1 0 1 0 0 2 1 1 0 0 0 0-2Z",
  book: "M5 4.5A1.5 1.5 0 0 1 6.5 3H18v15H7a.5.5 0 0 0 0 1.5h11V21H7a2 2 0 0 1-2-2zm1.5 0v12.55c.16-.03.33-.05.5-.05h9.5v-13H6.5zM9 7h6v1.5H9z",
  chat: "M4 5h16v11H9.5L4 20zm1.5 1.5v10.4l3.4-2.4h9.6v-8z",
  history: "M12 3a9 9 0 1 1-8.6 11.6l1.44-.43A7.5 7.5 0 1 0 5.6 8H8v1.5H3v-5h1.5v2.26A9 9 0 0 1 12 3Zm-.75 4h1.5v4.69l3.28 1.9-.75 1.3-4.03-2.33z",
  help: "M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18Zm0 1.5a7.5 7.5 0 1 0 0 15 7.5 7.5 0 0 0 0-15Zm-.9 10.7h1.8V17h-1.8zM12 7a3 3 0 0 1 1.2 5.75c-.5.22-.45.5-.45 1.25h-1.5c0-1.1.05-1.95 1.35-2.55A1.5 1.5 0 1 0 10.5 10H9a3 3 0 0 1 3-3Z",
  edit: "M15.3 4.3a1.5 1.5 0 0 1 2.1 0l2.3 2.3a1.5 1.5 0 0 1 0 2.1L9.5 18.9 4 20l1.1-5.5zm1 1.1L6.5 15.2l-.6 2.9 2.9-.6 9.8-9.8z",
  cart: "M3 4h2.6l.5 2H20l-2 8H8l.4 1.5H18V17H7.2L4.4 5.5H3zm3.5 3.5 1.1 5h9.2l1.2-5zM8.5 18a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm8 0a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Z",
  star: "M12 3.5l2.6 5.3 5.9.9-4.25 4.1 1 5.8L12 16.9l-5.25 2.7 1-5.8L3.5 9.7l5.9-.9z",
  upload: "M12 3.5 17 8.5l-1.06 1.06-3.19-3.19V15h-1.5V6.37L8.06 9.56 7 8.5zM5 14h1.5v4.5h11V14H19v6H5z",
  check: "M9.5 16.2 5.3 12l-1.1 1.1 5.3 5.3L20.8 7.1 19.7 6z",
  warn: "M12 3 2 20h20zm0 3.2 7.4 12.3H4.6zM11.25 10h1.5v4.5h-1.5zm0 5.5h1.5V17h-1.5z",
  trash: "M9 3h6l1 2h4v1.5H4V5h4zm-3 5h12l-1 13H7zm1.6 1.5.8 10h7.2l.8-10z",
  plus: "M11.25 5h1.5v6.25H19v1.5h-6.25V19h-1.5v-6.25H5v-1.5h6.25z",
} as const;

export function Icon(props: { name: keyof typeof paths; size?: number }) {
  const size = props.size ?? 16;
  return (
    <svg class="icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={paths[props.name]} fill="currentColor" />
    </svg>
  );
}

/** A destructive action takes a second, deliberate click (like closing a conversation). */
export function ConfirmButton(props: { label: string; confirm: string; onConfirm: () => void; disabled?: boolean; busy?: boolean; class?: string; title?: string; icon?: "trash" | "history" }) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const timer = setTimeout(() => setArmed(false), 4_000);
    return () => clearTimeout(timer);
  }, [armed]);
  return (
    <button
      type="button"
      class={`btn ${armed ? "btn-danger-solid" : (props.class ?? "btn-quiet btn-danger")}`}
      disabled={props.disabled}
      aria-busy={props.busy}
      title={props.title}
      onClick={() => {
        if (!armed) return setArmed(true);
        setArmed(false);
        props.onConfirm();
      }}
      onBlur={() => setArmed(false)}
    >
      {props.icon && !armed && <Icon name={props.icon} size={14} />}
      {armed ? props.confirm : props.label}
    </button>
  );
}
