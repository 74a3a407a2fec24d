import { useState } from "preact/hooks";
import type { ConversationSummary } from "../../../../src/protocol/agent-events.ts";
import type { OpenConversation } from "../desk-state.ts";
import { clock } from "../format.ts";
import { useDesk, useLang } from "../hooks.ts";
import { Composer } from "./Composer.tsx";
import { EvidencePanel } from "./EvidencePanel.tsx";
import { ConfirmButton, Icon, StateBadge } from "./bits.tsx";
import { Transcript } from "./Transcript.tsx";

export function ConversationView() {
  const { t } = useLang();
  const [, state] = useDesk();
  const open = state.open;
  if (!open) {
    return (
      <main class="main empty-view" id="conversation">
        <div class="empty-card">
          <svg viewBox="0 0 48 48" width="48" height="48" aria-hidden="true">
            <rect x="6" y="9" width="30" height="22" rx="6" fill="none" stroke="currentColor" stroke-width="2" />
            <path d="M14 31v7l8-7" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
            <rect x="20" y="19" width="22" height="16" rx="5" fill="currentColor" opacity=".15" />
          </svg>
          <h2>{t("view.empty.title")}</h2>
          <p>{t("view.empty.body")}</p>
        </div>
      </main>
    );
  }
  return <OpenView open={open} />;
}

function OpenView(props: { open: OpenConversation }) {
  const { t, lang } = useLang();
  const [desk, state] = useDesk();
  const { open } = props;
  const { me, busy, connection } = state;
  const summary = open.summary;
  const [showEvidence, setShowEvidence] = useState(false);
  const mine = summary?.state === "agent" && summary.assignedAgent?.id === me.id;
  const offline = connection !== "online";

  return (
    <>
      <main class="main" id="conversation" aria-labelledby="conversation-title">
        <header class="conv-header">
          <button type="button" class="btn btn-quiet btn-icon back" aria-label={t("view.back")} onClick={() => desk.open(null)}>
            <Icon name="back" />
          </button>
          <div class="conv-title">
            <div class="conv-title-line">
              {summary && <StateBadge state={summary.state} />}
              <h1 id="conversation-title">{summary?.productId ?? t("view.noProduct")}</h1>
            </div>
            <div class="conv-sub">
              <span class="mono" title={open.id}>
                #{open.id.slice(0, 8)}
              </span>
              {summary?.locale && <span>{summary.locale.toUpperCase()}</span>}
              {summary && <span>{t("view.started", { time: clock(summary.createdAt, lang) })}</span>}
              {summary?.assignedAgent && summary.state === "agent" && <span>{t("view.assigned", { name: mine ? t("view.you") : summary.assignedAgent.name })}</span>}
            </div>
          </div>
          <div class="conv-actions">
            <Actions summary={summary} mine={mine} busy={busy} offline={offline} />
            <button type="button" class="btn btn-quiet btn-sm evidence-toggle" aria-expanded={showEvidence} aria-controls="evidence" onClick={() => setShowEvidence(!showEvidence)}>
              <Icon name="info" /> {t("evidence.title")}
            </button>
          </div>
        </header>
        {open.banner && (
          <div class={`banner banner-${open.banner.kind}`} role={open.banner.kind === "error" ? "alert" : "status"}>
            <div>
              <strong>{open.banner.title}</strong>
              {open.banner.message && <span> — {open.banner.message}</span>}
            </div>
            <button type="button" class="btn btn-quiet btn-icon" aria-label={t("toast.dismiss")} onClick={() => desk.dismissBanner()}>
              <Icon name="close" />
            </button>
          </div>
        )}
        {open.loadError ? (
          <div class="banner banner-error" role="alert">
            <strong>{open.loadError.message}</strong>
          </div>
        ) : (
          <Transcript open={open} />
        )}
        <Composer key={open.id} conversationId={open.id} summary={summary} mine={mine} offline={offline} />
      </main>
      <EvidencePanel open={open} visible={showEvidence} onHide={() => setShowEvidence(false)} />
    </>
  );
}

export function Actions(props: { summary: ConversationSummary | null; mine: boolean; busy: string | null; offline: boolean }) {
  const { t } = useLang();
  const [desk] = useDesk();
  const { summary, mine, busy, offline } = props;
  if (!summary) return null;
  const disabled = offline || busy !== null;
  const canTake = summary.state === "waiting" || summary.state === "bot";
  return (
    <>
      {canTake && (
        <button type="button" class={`btn ${summary.state === "waiting" ? "btn-primary" : "btn-secondary"}`} disabled={disabled} aria-busy={busy === "take-over"} onClick={() => desk.takeOver()}>
          {t("action.takeOver")}
        </button>
      )}
      {summary.state === "agent" && mine && (
        <button type="button" class="btn btn-secondary" disabled={disabled} aria-busy={busy === "hand-back"} onClick={() => desk.handBack()}>
          <Icon name="bot" /> {t("action.handBack")}
        </button>
      )}
      {summary.state !== "closed" && (
        // Closing tells the shopper the conversation ended, so it takes a second, deliberate click.
        <ConfirmButton key={summary.id} label={t("action.close")} confirm={t("action.closeConfirmShort")} title={t("action.closeConfirm")} disabled={disabled} busy={busy === "close"} onConfirm={() => void desk.close()} />
      )}
    </>
  );
}
