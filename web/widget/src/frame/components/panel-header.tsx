import type { ConversationState } from "../../../../../src/protocol/conversation-events.ts";
import type { Connection } from "../chat-view.ts";
import type { Strings } from "../i18n.ts";
import { AssistantIcon, CloseIcon, PersonIcon } from "./icons.tsx";

type Props = {
  t: Strings;
  title: string;
  state: ConversationState;
  agentName: string | null;
  connection: Connection;
  onSwitchLanguage: () => void;
  /** Absent when the frame is not inside a store page (nothing to close). */
  onClose: (() => void) | null;
};

/** Who the shopper is talking to now, the connection, the language switch and the close button. */
export function PanelHeader({ t, title, state, agentName, connection, onSwitchLanguage, onClose }: Props) {
  const status =
    connection === "offline" ? t.statusOffline
    : state === "waiting" ? t.statusWaiting
    : state === "agent" ? t.statusAgent(agentName ?? t.agent)
    : state === "closed" ? t.statusClosed
    : t.statusBot;
  return (
    <header class="header">
      <span class={`avatar${state === "agent" ? " person" : ""}`} aria-hidden="true">
        {state === "agent" ? <PersonIcon /> : <AssistantIcon />}
      </span>
      <div class="heading">
        <h1 id="panel-title" dir="auto">{title}</h1>
        <p class={`presence ${connection === "offline" ? "offline" : state}`}>
          <span class="dot" aria-hidden="true" />
          {status}
        </p>
      </div>
      <button type="button" class="header-button language" lang={t.languageButton === "EN" ? "en" : "zh"} aria-label={t.switchLanguage} title={t.switchLanguage} onClick={onSwitchLanguage}>
        {t.languageButton}
      </button>
      {onClose && (
        <button type="button" class="header-button" aria-label={t.close} title={t.close} onClick={onClose}>
          <CloseIcon />
        </button>
      )}
    </header>
  );
}
