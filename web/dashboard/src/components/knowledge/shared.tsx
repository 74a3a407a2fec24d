import { createContext, type ComponentChildren } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../../api.ts";
import { useLang } from "../../hooks.ts";
import type { Translate } from "../../i18n.ts";
import { knowledgeApi, problemsOf, type DocumentInput, type IngestReport, type KnowledgeProblem, type PublishResult, type RegressionReport } from "../../knowledge-api.ts";
import { Icon } from "../bits.tsx";

/** What the knowledge page shares: a revision that moves on every publish, so each section reloads. */
export type KnowledgeContextValue = {
  revision: number;
  /** A publish (or rollback) made a new version: tell the admin, reload everything. */
  published: (report: IngestReport | null, title?: string) => void;
  /** Open a conversation in the conversation view. */
  openConversation: (id: string) => void;
  counts: { drafts: number | null; gaps: number | null };
  setCount: (name: "drafts" | "gaps", count: number) => void;
};
export const KnowledgeContext = createContext<KnowledgeContextValue>(null as unknown as KnowledgeContextValue);
export const useKnowledge = () => useContext(KnowledgeContext);

export type Loaded<T> = { data: T | null; error: string | null; loading: boolean; reload: () => void; set: (data: T) => void };

/** Load on mount and whenever deps change; a newer load wins over an older one still in flight. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [nonce, setNonce] = useState(0);
  const request = useRef(0);
  useEffect(() => {
    const id = ++request.current;
    setState((current) => ({ ...current, loading: true }));
    load().then(
      (data) => id === request.current && setState({ data, error: null, loading: false }),
      (error: unknown) => id === request.current && setState((current) => ({ data: current.data, error: messageOf(error), loading: false })),
    );
  }, [...deps, nonce]);
  return { ...state, reload: () => setNonce((value) => value + 1), set: (data) => setState({ data, error: null, loading: false }) };
}

/** A knowledge section: its title (with a count once known), a hint, optional tools, and the load error. */
export function SectionPage(props: { id: string; title: string; count?: number | null | undefined; hint: string; tools?: ComponentChildren; error?: string | null; children: ComponentChildren }) {
  return (
    <section class="kn-section-page" aria-labelledby={`kn-${props.id}-title`}>
      <div class="kn-toolbar">
        <h2 id={`kn-${props.id}-title`} class="kn-h2">
          {props.title}
          {props.count != null && <span class="count-soft">{props.count}</span>}
        </h2>
        <p class="muted small">{props.hint}</p>
        {props.tools && (
          <>
            <span class="kn-spacer" />
            {props.tools}
          </>
        )}
      </div>
      <ErrorLine error={props.error} />
      {props.children}
    </section>
  );
}

export function ErrorLine(props: { error: string | null | undefined }) {
  return props.error ? (
    <p class="form-error kn-pad" role="alert">
      {props.error}
    </p>
  ) : null;
}

/** Loading, empty, or the list: what every section shows below its toolbar. */
export function LoadedList<T>(props: { items: T[] | null | undefined; failed: boolean; empty: string; children: (items: T[]) => ComponentChildren }) {
  const { t } = useLang();
  if (!props.items) return props.failed ? null : <p class="list-empty">{t("list.loading")}</p>;
  if (props.items.length === 0) return <p class="list-empty">{props.empty}</p>;
  return <>{props.children(props.items)}</>;
}

/** Check and publish one edited document, then leave the editor. */
export function DocumentPublishBar(props: { input: DocumentInput; title: string; disabled: boolean; onDone: () => void }) {
  const knowledge = useKnowledge();
  const { input } = props;
  return (
    <PublishBar
      changeKey={JSON.stringify(input)}
      disabled={props.disabled}
      check={() => knowledgeApi.check({ documents: [input] })}
      publish={(force) => knowledgeApi.publish({ documents: [input] }, force)}
      onCancel={props.onDone}
      onPublished={(result) => {
        knowledge.published(result.report, props.title);
        props.onDone();
      }}
    />
  );
}

export function messageOf(error: unknown): string {
  return error instanceof ApiError || error instanceof Error ? error.message : String(error);
}

/** "Published version 7: 1 added, 0 updated, 0 removed", or that nothing changed. */
export function reportText(t: Translate, report: IngestReport | null): string {
  if (!report) return "";
  if (report.added + report.updated + report.removed === 0) return t("kn.nothingChanged", { version: report.version });
  return t("kn.publishedVersion", { version: report.version, added: report.added, updated: report.updated, removed: report.removed });
}

/** A refused update: every problem as file:line: message, and that nothing changed. */
export function Problems(props: { problems: KnowledgeProblem[]; message?: string; title?: string; body?: string }) {
  const { t } = useLang();
  return (
    <div class="kn-problems" role="alert">
      <div class="kn-problems-head">
        <Icon name="warn" />
        <div>
          <strong>{props.title ?? t("kn.refused")}</strong>
          <p>{props.body ?? t("kn.refusedBody")}</p>
        </div>
      </div>
      {props.problems.length > 0 ? (
        <ul>
          {props.problems.map((problem) => (
            <li>
              <code class="kn-problem-where">
                {problem.file}
                {problem.line ? `:${problem.line}` : ""}
              </code>
              <span class="kn-problem-message">: {problem.message}</span>
            </li>
          ))}
        </ul>
      ) : (
        props.message && <p class="kn-problem-message">{props.message}</p>
      )}
    </div>
  );
}

/**
 * Check and publish one change. Check replays the golden questions on a candidate; a publish the
 * server refuses after its own check (HTTP 409) shows that report and offers "Publish anyway".
 */
export function PublishBar(props: {
  check: () => Promise<RegressionReport>;
  publish: (force: boolean) => Promise<PublishResult>;
  onPublished: (result: PublishResult) => void;
  onCancel?: () => void;
  publishLabel?: string;
  danger?: boolean;
  disabled?: boolean;
  /** Reset the outcome when the change itself changes. */
  changeKey?: unknown;
  children?: ComponentChildren;
}) {
  const { t } = useLang();
  const [busy, setBusy] = useState<"check" | "publish" | null>(null);
  const [report, setReport] = useState<RegressionReport | null>(null);
  const [refused, setRefused] = useState(false);
  const [problems, setProblems] = useState<{ problems: KnowledgeProblem[]; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setReport(null);
    setRefused(false);
    setProblems(null);
    setError(null);
  }, [props.changeKey]);

  const run = async (kind: "check" | "publish", force = false) => {
    if (busy) return;
    setBusy(kind);
    setError(null);
    setProblems(null);
    try {
      if (kind === "check") {
        setReport(await props.check());
        setRefused(false);
      } else {
        const result = await props.publish(force);
        if (result.published) {
          setReport(null);
          setRefused(false);
          props.onPublished(result);
        } else {
          setReport(result.check);
          setRefused(true);
        }
      }
    } catch (failure) {
      const found = problemsOf(failure);
      if (found) setProblems({ problems: found, message: messageOf(failure) });
      else setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="kn-publish">
      <div class="kn-publish-bar">
        {props.children}
        <span class="kn-spacer" />
        {props.onCancel && (
          <button type="button" class="btn btn-quiet" onClick={props.onCancel} disabled={busy !== null}>
            {t("kn.cancel")}
          </button>
        )}
        <button type="button" class="btn btn-secondary" disabled={props.disabled || busy !== null} aria-busy={busy === "check"} title={t("kn.checkHint")} onClick={() => run("check")}>
          {busy === "check" ? t("kn.checking") : t("kn.check")}
        </button>
        <button type="button" class={`btn ${props.danger ? "btn-danger-solid" : "btn-primary"}`} disabled={props.disabled || busy !== null} aria-busy={busy === "publish"} onClick={() => run("publish")}>
          {busy === "publish" ? t("kn.publishing") : (props.publishLabel ?? t("kn.publish"))}
        </button>
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {problems && <Problems problems={problems.problems} message={problems.message} />}
      {report && (
        <CheckReport report={report} refused={refused}>
          {refused && (
            <button type="button" class="btn btn-danger-solid btn-sm" disabled={busy !== null} aria-busy={busy === "publish"} onClick={() => run("publish", true)}>
              {t("kn.publishAnyway")}
            </button>
          )}
        </CheckReport>
      )}
    </div>
  );
}

/** The regression check's report: what the candidate version would change, worst first. */
export function CheckReport(props: { report: RegressionReport; refused?: boolean; children?: ComponentChildren }) {
  const { t } = useLang();
  const { report } = props;
  const bad = report.newlyHandedOff > 0 || report.lostDocuments.length > 0;
  const changed = [...report.changed].sort((a, b) => rank(a) - rank(b));
  return (
    <section class={`kn-report ${bad ? "kn-report-bad" : "kn-report-ok"}`} aria-label={t("kn.report")}>
      <div class="kn-report-verdict" role={props.refused ? "alert" : "status"}>
        <Icon name={bad ? "warn" : "check"} />
        <div class="kn-report-title">
          <strong>{props.refused ? t("kn.notPublished") : bad ? t("kn.regressions") : t("kn.noRegressions")}</strong>
          <span>
            {t("kn.replayed", { count: report.questions })} · {t("kn.changedCount", { count: report.changed.length })} ·{" "}
            <span class={report.newlyHandedOff > 0 ? "kn-bad" : ""}>{t("kn.newlyHandedOff", { count: report.newlyHandedOff })}</span>
            {report.lostDocuments.length > 0 && (
              <>
                {" "}
                · <span class="kn-bad">{t("kn.lostCount", { count: report.lostDocuments.length })}</span>
              </>
            )}
          </span>
        </div>
        {props.children}
      </div>
      {report.questions === 0 && <p class="kn-report-note">{t("kn.noGolden")}</p>}
      {report.lostDocuments.length > 0 && (
        <div class="kn-report-lost">
          <span>{t("kn.lostDocuments")}</span>
          {report.lostDocuments.map((id) => (
            <code class="kn-chip kn-chip-bad">{id}</code>
          ))}
        </div>
      )}
      {changed.length > 0 && (
        <ol class="kn-changes">
          {changed.map((change) => (
            <li class={`kn-change ${change.before.answered && !change.after.answered ? "kn-change-bad" : !change.before.answered && change.after.answered ? "kn-change-good" : ""}`}>
              <div class="kn-q">
                <span>{change.question}</span>
                <span class="tag">{change.origin === "admin" ? t("kn.origin.admin") : t("kn.origin.answered")}</span>
                {change.productId && <span class="mono muted">{change.productId}</span>}
              </div>
              <dl class="kn-change-outcomes">
                <dt>{t("kn.before")}</dt>
                <dd>
                  <Outcome outcome={change.before} />
                </dd>
                <dt>{t("kn.after")}</dt>
                <dd>
                  <Outcome outcome={change.after} />
                </dd>
              </dl>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function rank(change: RegressionReport["changed"][number]): number {
  if (change.before.answered && !change.after.answered) return 0;
  if (!change.before.answered && change.after.answered) return 2;
  return 1;
}

function Outcome(props: { outcome: RegressionReport["changed"][number]["before"] }) {
  const { t } = useLang();
  const { outcome } = props;
  return (
    <div class="kn-outcome">
      <span class={`kn-verdict ${outcome.answered ? "kn-verdict-ok" : "kn-verdict-bad"}`}>
        {outcome.answered ? t("kn.answered") : t("kn.handedOff")}
        <span class="kn-conf">{outcome.confidence.toFixed(2)}</span>
      </span>
      {outcome.documents.slice(0, 3).map((id) => (
        <code class="kn-chip">{id}</code>
      ))}
      {outcome.documents.length === 0 && <span class="muted small">{t("kn.nothingFound")}</span>}
    </div>
  );
}

/** The question and answer of a FAQ entry being written, and what went wrong saving it. */
export function QuestionAnswerFields(props: { question: string; answer: string; rows: number; placeholder?: string; error: string | null; onQuestion: (text: string) => void; onAnswer: (text: string) => void }) {
  const { t } = useLang();
  return (
    <>
      <label class="field">
        {t("kn.field.question")}
        <input class="kn-input" value={props.question} maxLength={500} onInput={(event) => props.onQuestion(event.currentTarget.value)} />
      </label>
      <label class="field">
        {t("kn.field.answer")}
        <textarea class="kn-input" rows={props.rows} value={props.answer} maxLength={5000} placeholder={props.placeholder} onInput={(event) => props.onAnswer(event.currentTarget.value)} />
      </label>
      {props.error && (
        <p class="form-error" role="alert">
          {props.error}
        </p>
      )}
    </>
  );
}
