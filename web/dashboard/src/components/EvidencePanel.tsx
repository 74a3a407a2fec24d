import type { ConfidenceReport } from "../../../../src/protocol/conversation-events.ts";
import type { OpenConversation } from "../desk-state.ts";
import { clock } from "../format.ts";
import { useDesk, useLang } from "../hooks.ts";
import { partLabel, reasonLabel } from "../i18n.ts";
import { Icon } from "./bits.tsx";

const PART_ORDER = ["coverage", "similarity", "agreement", "retrieval", "grounding"];

export function EvidencePanel(props: { open: OpenConversation; visible: boolean; onHide: () => void }) {
  const { t, lang } = useLang();
  const [desk] = useDesk();
  const summary = props.open.summary;
  const handoff = summary?.handoff ?? null;

  return (
    <aside
      id="evidence"
      class={`aside ${props.visible ? "aside-visible" : ""}`}
      aria-labelledby="evidence-title"
      onKeyDown={(event) => {
        if (event.key === "Escape" && props.visible) props.onHide();
      }}
    >
      <div class="aside-head">
        <h2 id="evidence-title">{handoff && summary && summary.state !== "waiting" && summary.state !== "agent" ? t("evidence.lastTitle") : t("evidence.title")}</h2>
        <button type="button" class="btn btn-quiet btn-icon aside-close" aria-label={t("toast.dismiss")} onClick={props.onHide}>
          <Icon name="close" />
        </button>
      </div>
      {!handoff ? (
        <p class="muted aside-empty">{t("evidence.none")}</p>
      ) : (
        <>
          <section class="panel">
            <div class="reason-line">
              <span class={`reason-big reason-${handoff.reason}`}>{reasonLabel(t, handoff.reason)}</span>
              <time class="muted small" dateTime={handoff.at}>
                {t("evidence.at", { time: clock(handoff.at, lang) })}
              </time>
            </div>
            {handoff.question && (
              <figure class="question">
                <figcaption>{t("evidence.question")}</figcaption>
                <blockquote>{handoff.question}</blockquote>
              </figure>
            )}
          </section>
          <section class="panel" aria-labelledby="confidence-title">
            <h3 id="confidence-title">{t("evidence.confidence")}</h3>
            {handoff.confidence ? <Confidence report={handoff.confidence} /> : <p class="muted small">{t("evidence.noScore")}</p>}
          </section>
          <section class="panel" aria-labelledby="passages-title">
            <h3 id="passages-title">
              {t("evidence.passages")} <span class="count-soft">{handoff.passages.length}</span>
            </h3>
            {handoff.passages.length === 0 ? (
              <p class="muted small">{t("evidence.noPassages")}</p>
            ) : (
              <ol class="passages">
                {handoff.passages.map((passage, index) => (
                  <li key={passage.passageId}>
                    <span class="passage-rank">{index + 1}</span>
                    <div class="passage-body">
                      {passage.url ? (
                        <a href={passage.url} target="_blank" rel="noopener noreferrer" class="passage-title">
                          {passage.title}
                          <Icon name="link" size={12} />
                        </a>
                      ) : (
                        <span class="passage-title">{passage.title}</span>
                      )}
                      <span class="passage-meta">
                        <span class="tag">{passage.kind}</span>
                        <span class="mono" title={passage.passageId}>
                          {passage.passageId}
                        </span>
                      </span>
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </section>
          {handoff.draft && (
            <section class="panel" aria-labelledby="draft-title">
              <div class="panel-head">
                <h3 id="draft-title">{t("evidence.draft")}</h3>
                <button type="button" class="btn btn-secondary btn-sm" title={t("evidence.useDraftHint")} onClick={() => desk.useDraft(handoff.draft ?? "")}>
                  {t("evidence.useDraft")}
                </button>
              </div>
              <div class="draft">{handoff.draft}</div>
            </section>
          )}
        </>
      )}
      {props.open.actions.length > 0 && (
        <section class="panel" aria-labelledby="activity-title">
          <h3 id="activity-title">{t("activity.title")}</h3>
          <ol class="activity">
            {props.open.actions.map((action) => (
              <li>
                <span>
                  <strong>{action.agentName}</strong> {action.action}
                </span>
                <time class="muted" dateTime={action.at}>
                  {clock(action.at, lang)}
                </time>
              </li>
            ))}
          </ol>
        </section>
      )}
    </aside>
  );
}

function Confidence(props: { report: ConfidenceReport }) {
  const { t } = useLang();
  const { score, threshold, parts } = props.report;
  const low = score < threshold;
  const keys = Object.keys(parts).sort((a, b) => rank(a) - rank(b));
  return (
    <div class="confidence">
      <div class="confidence-score">
        <span class={`score-big ${low ? "score-low" : "score-ok"}`}>{score.toFixed(2)}</span>
        <span class="muted small">{t("evidence.threshold", { value: threshold.toFixed(2) })}</span>
      </div>
      <Meter value={score} threshold={threshold} large />
      <dl class="parts">
        {keys.map((key) => (
          <div class="part">
            <dt>{partLabel(t, key)}</dt>
            <dd>
              <Meter value={parts[key] ?? 0} />
              <span class="part-value">{(parts[key] ?? 0).toFixed(2)}</span>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function rank(part: string): number {
  const index = PART_ORDER.indexOf(part);
  return index < 0 ? PART_ORDER.length : index;
}

function Meter(props: { value: number; threshold?: number; large?: boolean }) {
  const value = Math.max(0, Math.min(1, props.value));
  const low = props.threshold !== undefined && value < props.threshold;
  return (
    <span class={`meter ${props.large ? "meter-large" : ""} ${low ? "meter-low" : ""}`} role="meter" aria-valuemin={0} aria-valuemax={1} aria-valuenow={value}>
      <span class="meter-fill" style={{ width: `${value * 100}%` }} />
      {props.threshold !== undefined && <span class="meter-threshold" style={{ left: `${props.threshold * 100}%` }} />}
    </span>
  );
}
