import { useEffect, useState } from "preact/hooks";
import { ago, clock } from "../../format.ts";
import { useLang, useNow } from "../../hooks.ts";
import type { Translate } from "../../i18n.ts";
import { saveFaqDraft } from "../../api.ts";
import { knowledgeApi, type Draft, type KnowledgeVersion, type QuestionGroup } from "../../knowledge-api.ts";
import { Icon } from "../bits.tsx";
import { ConfirmButton, messageOf, useKnowledge, useLoad } from "./shared.tsx";

// ---- versions ------------------------------------------------------------------------------------

export function Versions() {
  const { t, lang } = useLang();
  const knowledge = useKnowledge();
  const loaded = useLoad(() => knowledgeApi.versions(), [knowledge.revision]);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rollback = async (version: number) => {
    setBusy(version);
    setError(null);
    try {
      const report = await knowledgeApi.rollback(version);
      knowledge.published(report, t("kn.rolledBack", { version }));
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };
  const current = loaded.data?.current;
  return (
    <section class="kn-section-page" aria-labelledby="kn-versions-title">
      <div class="kn-toolbar">
        <h2 id="kn-versions-title" class="kn-h2">
          {t("kn.versions")}
        </h2>
        <p class="muted small">{t("kn.versionsHint")}</p>
      </div>
      {(error || loaded.error) && (
        <p class="form-error kn-pad" role="alert">
          {error ?? loaded.error}
        </p>
      )}
      {!loaded.data ? (
        !loaded.error && <p class="list-empty">{t("list.loading")}</p>
      ) : loaded.data.versions.length === 0 ? (
        <p class="list-empty">{t("kn.noVersions")}</p>
      ) : (
        <div class="kn-table-wrap">
          <table class="kn-table kn-versions">
            <thead>
              <tr>
                <th>{t("kn.col.version")}</th>
                <th>{t("kn.col.published")}</th>
                <th>{t("kn.col.origin")}</th>
                <th>{t("kn.col.changes")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {loaded.data.versions.map((version) => (
                <tr class={version.version === current ? "kn-current" : ""} data-version={version.version}>
                  <td>
                    <span class="kn-version">v{version.version}</span>
                    {version.version === current && <span class="badge badge-current">{t("kn.current")}</span>}
                  </td>
                  <td title={version.createdAt}>{clock(version.createdAt, lang)}</td>
                  <td>{originLabel(t, version)}</td>
                  <td>
                    <span class="kn-delta">
                      <span class={version.added ? "kn-plus" : "muted"}>+{version.added}</span>
                      <span class={version.updated ? "kn-tilde" : "muted"}>~{version.updated}</span>
                      <span class={version.removed ? "kn-minus" : "muted"}>−{version.removed}</span>
                    </span>
                  </td>
                  <td class="kn-right">
                    {version.version !== current && (
                      <ConfirmButton
                        class="btn-secondary btn-sm"
                        icon="history"
                        label={t("kn.rollback")}
                        confirm={t("kn.rollbackConfirm", { version: version.version })}
                        disabled={busy !== null}
                        busy={busy === version.version}
                        title={t("kn.rollbackHint")}
                        onConfirm={() => void rollback(version.version)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Where a version came from, in words: files, an admin, an upload, a FAQ draft, a rollback. */
function originLabel(t: Translate, version: KnowledgeVersion): string {
  const origin = version.origin;
  if (origin === "files") return t("kn.origin.files");
  if (origin.startsWith("api:")) return t("kn.origin.api", { who: origin.slice(4) });
  if (origin.startsWith("rollback:")) return t("kn.origin.rollback", { version: origin.slice(9) });
  if (origin.startsWith("draft:")) return t("kn.origin.draft");
  return origin;
}

// ---- knowledge gaps ------------------------------------------------------------------------------

export function Gaps() {
  const { t, lang } = useLang();
  const knowledge = useKnowledge();
  const now = useNow(30_000);
  const loaded = useLoad(() => knowledgeApi.gaps(), [knowledge.revision]);
  useEffect(() => {
    if (loaded.data) knowledge.setCount("gaps", loaded.data.length);
  }, [loaded.data]);
  const groups = loaded.data;
  const top = groups?.[0]?.count ?? 1;
  return (
    <section class="kn-section-page" aria-labelledby="kn-gaps-title">
      <div class="kn-toolbar">
        <h2 id="kn-gaps-title" class="kn-h2">
          {t("kn.gaps")}
        </h2>
        <p class="muted small">{t("kn.gapsHint")}</p>
        <span class="kn-spacer" />
        <button type="button" class="btn btn-quiet btn-sm" onClick={loaded.reload} aria-busy={loaded.loading}>
          {t("kn.refresh")}
        </button>
      </div>
      {loaded.error && (
        <p class="form-error kn-pad" role="alert">
          {loaded.error}
        </p>
      )}
      {!groups ? (
        !loaded.error && <p class="list-empty">{t("list.loading")}</p>
      ) : groups.length === 0 ? (
        <p class="list-empty">{t("kn.noGaps")}</p>
      ) : (
        <ol class="kn-gaps">
          {groups.map((group) => (
            <li class="kn-gap">
              <div class="kn-gap-head">
                <span class="kn-gap-count" title={t("kn.gapCount", { count: group.count })}>
                  {group.count}
                </span>
                <div class="kn-gap-label">
                  <strong>{group.label}</strong>
                  <span class="meter">
                    <span class="meter-fill kn-gap-meter" style={{ width: `${(group.count / top) * 100}%` }} />
                  </span>
                </div>
              </div>
              <ul class="kn-gap-examples">
                {group.examples.map((example) => (
                  <li>
                    <button type="button" class="kn-gap-example" data-conversation-id={example.conversationId} onClick={() => knowledge.openConversation(example.conversationId)}>
                      <Icon name="chat" size={13} />
                      <span class="kn-gap-question">{example.question}</span>
                      <span class="muted small">{ago(example.at, now, lang)}</span>
                    </button>
                  </li>
                ))}
              </ul>
              <GapAnswer group={group} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Answer a gap right here: the group's question and the admin's answer become a FAQ entry. */
function GapAnswer(props: { group: QuestionGroup }) {
  const { t } = useLang();
  const knowledge = useKnowledge();
  const [open, setOpen] = useState(false);
  const [question, setQuestion] = useState(props.group.label);
  const [answer, setAnswer] = useState("");
  const [busy, setBusy] = useState<"draft" | "publish" | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async (publish: boolean) => {
    setBusy(publish ? "publish" : "draft");
    setError(null);
    try {
      const draft = await saveFaqDraft({ question: question.trim(), answer: answer.trim(), conversationId: props.group.examples[0]?.conversationId ?? null });
      if (publish) {
        const result = await knowledgeApi.publishDraft(draft.id);
        knowledge.published(result.report, question.trim());
        setDone(t("kn.gapPublished"));
      } else {
        knowledge.setCount("drafts", (knowledge.counts.drafts ?? 0) + 1);
        setDone(t("kn.gapDrafted"));
      }
      setOpen(false);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };
  if (done && !open) {
    return (
      <p class="kn-gap-done" role="status">
        <Icon name="check" size={14} /> {done}
      </p>
    );
  }
  if (!open) {
    return (
      <button type="button" class="btn btn-secondary btn-sm kn-gap-answer" onClick={() => setOpen(true)}>
        <Icon name="edit" size={14} /> {t("kn.gapAnswer")}
      </button>
    );
  }
  const valid = question.trim().length > 0 && answer.trim().length > 0;
  return (
    <form
      class="kn-gap-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) void save(false);
      }}
    >
      <label class="field">
        {t("kn.field.question")}
        <input class="kn-input" value={question} maxLength={500} onInput={(event) => setQuestion(event.currentTarget.value)} />
      </label>
      <label class="field">
        {t("kn.field.answer")}
        <textarea class="kn-input" rows={3} value={answer} maxLength={5000} placeholder={t("kn.gapAnswerPlaceholder")} onInput={(event) => setAnswer(event.currentTarget.value)} />
      </label>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="kn-publish-bar">
        <span class="kn-spacer" />
        <button type="button" class="btn btn-quiet" onClick={() => setOpen(false)} disabled={busy !== null}>
          {t("kn.cancel")}
        </button>
        <button type="submit" class="btn btn-secondary" disabled={!valid || busy !== null} aria-busy={busy === "draft"}>
          {t("kn.saveDraft")}
        </button>
        <button type="button" class="btn btn-primary" disabled={!valid || busy !== null} aria-busy={busy === "publish"} onClick={() => save(true)}>
          {busy === "publish" ? t("kn.publishing") : t("kn.publish")}
        </button>
      </div>
    </form>
  );
}

// ---- FAQ drafts ----------------------------------------------------------------------------------

export function Drafts() {
  const { t } = useLang();
  const knowledge = useKnowledge();
  const loaded = useLoad(() => knowledgeApi.drafts(), [knowledge.revision]);
  useEffect(() => {
    if (loaded.data) knowledge.setCount("drafts", loaded.data.length);
  }, [loaded.data]);
  const drafts = loaded.data;
  return (
    <section class="kn-section-page" aria-labelledby="kn-drafts-title">
      <div class="kn-toolbar">
        <h2 id="kn-drafts-title" class="kn-h2">
          {t("kn.drafts")}
          {drafts && <span class="count-soft">{drafts.length}</span>}
        </h2>
        <p class="muted small">{t("kn.draftsHint")}</p>
      </div>
      {loaded.error && (
        <p class="form-error kn-pad" role="alert">
          {loaded.error}
        </p>
      )}
      {!drafts ? (
        !loaded.error && <p class="list-empty">{t("list.loading")}</p>
      ) : drafts.length === 0 ? (
        <p class="list-empty">{t("kn.noDrafts")}</p>
      ) : (
        <ol class="kn-drafts">
          {drafts.map((draft) => (
            <DraftCard key={draft.id} draft={draft} onGone={() => loaded.set(drafts.filter((entry) => entry.id !== draft.id))} />
          ))}
        </ol>
      )}
    </section>
  );
}

function DraftCard(props: { draft: Draft; onGone: () => void }) {
  const { t, lang } = useLang();
  const knowledge = useKnowledge();
  const now = useNow(30_000);
  const [draft, setDraft] = useState(props.draft);
  const [question, setQuestion] = useState(props.draft.question);
  const [answer, setAnswer] = useState(props.draft.answer);
  const [busy, setBusy] = useState<"save" | "publish" | "dismiss" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const dirty = question.trim() !== draft.question || answer.trim() !== draft.answer;
  const valid = question.trim().length > 0 && answer.trim().length > 0;

  const run = async (kind: "save" | "publish" | "dismiss") => {
    setBusy(kind);
    setError(null);
    setSaved(false);
    try {
      let current = draft;
      if (dirty && kind !== "dismiss") {
        current = await knowledgeApi.updateDraft(draft.id, { question: question.trim(), answer: answer.trim() });
        setDraft(current);
      }
      if (kind === "save") setSaved(true);
      if (kind === "publish") {
        const result = await knowledgeApi.publishDraft(current.id);
        knowledge.published(result.report, current.question);
        props.onGone();
      }
      if (kind === "dismiss") {
        await knowledgeApi.dismissDraft(draft.id);
        props.onGone();
      }
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };

  return (
    <li class="kn-card kn-draft" data-draft-id={draft.id}>
      <div class="kn-draft-meta">
        <span class="tag tag-lang">{draft.lang.toUpperCase()}</span>
        <span>{t("kn.draftBy", { who: draft.createdBy, time: ago(draft.createdAt, now, lang) })}</span>
        {draft.conversationId && (
          <button type="button" class="kn-link small" onClick={() => knowledge.openConversation(draft.conversationId!)}>
            <Icon name="chat" size={13} /> {t("kn.openConversation")}
          </button>
        )}
      </div>
      <label class="field">
        {t("kn.field.question")}
        <input class="kn-input" value={question} maxLength={500} onInput={(event) => setQuestion(event.currentTarget.value)} />
      </label>
      <label class="field">
        {t("kn.field.answer")}
        <textarea class="kn-input" rows={4} value={answer} maxLength={5000} onInput={(event) => setAnswer(event.currentTarget.value)} />
      </label>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="kn-publish-bar">
        <span class="muted small">{saved && !dirty ? t("kn.draftSaved") : dirty ? t("kn.unsaved") : t("kn.publishDraftHint")}</span>
        <span class="kn-spacer" />
        <ConfirmButton label={t("kn.dismiss")} confirm={t("kn.dismissConfirm")} disabled={busy !== null} busy={busy === "dismiss"} onConfirm={() => void run("dismiss")} />
        <button type="button" class="btn btn-secondary" disabled={!dirty || !valid || busy !== null} aria-busy={busy === "save"} onClick={() => run("save")}>
          {t("kn.save")}
        </button>
        <button type="button" class="btn btn-primary" disabled={!valid || busy !== null} aria-busy={busy === "publish"} onClick={() => run("publish")}>
          {busy === "publish" ? t("kn.publishing") : t("kn.publish")}
        </button>
      </div>
    </li>
  );
}

// ---- golden questions ----------------------------------------------------------------------------

type GoldenRow = { key: number; question: string; productId: string };
let rowKey = 0;

export function Golden() {
  const { t } = useLang();
  const knowledge = useKnowledge();
  const loaded = useLoad(() => knowledgeApi.golden(), [knowledge.revision]);
  const [rows, setRows] = useState<GoldenRow[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  useEffect(() => {
    if (loaded.data) setRows(loaded.data.map((entry) => ({ key: ++rowKey, question: entry.question, productId: entry.productId ?? "" })));
  }, [loaded.data]);
  const clean = (rows ?? []).filter((row) => row.question.trim()).map((row) => ({ question: row.question.trim(), productId: row.productId.trim() || null }));
  const saved = (loaded.data ?? []).map((entry) => ({ question: entry.question, productId: entry.productId }));
  const dirty = JSON.stringify(clean) !== JSON.stringify(saved);
  const setRow = (key: number, patch: Partial<GoldenRow>) => setRows((rows ?? []).map((row) => (row.key === key ? { ...row, ...patch } : row)));

  const save = async () => {
    setBusy(true);
    setStatus(null);
    try {
      const questions = await knowledgeApi.saveGolden(clean);
      loaded.set(questions);
      setStatus({ kind: "ok", text: t("kn.goldenSaved", { count: questions.length }) });
    } catch (failure) {
      setStatus({ kind: "error", text: messageOf(failure) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="kn-section-page" aria-labelledby="kn-golden-title">
      <div class="kn-toolbar">
        <h2 id="kn-golden-title" class="kn-h2">
          {t("kn.golden")}
          {rows && <span class="count-soft">{clean.length}</span>}
        </h2>
        <p class="muted small">{t("kn.goldenHint")}</p>
      </div>
      {loaded.error && (
        <p class="form-error kn-pad" role="alert">
          {loaded.error}
        </p>
      )}
      {rows && (
        <form
          class="kn-card kn-golden"
          onSubmit={(event) => {
            event.preventDefault();
            if (dirty) void save();
          }}
        >
          {rows.length === 0 && <p class="muted small">{t("kn.noGoldenYet")}</p>}
          <ol class="kn-golden-rows">
            {rows.map((row, index) => (
              <li>
                <span class="passage-rank">{index + 1}</span>
                <input class="kn-input" aria-label={t("kn.field.question")} placeholder={t("kn.goldenPlaceholder")} value={row.question} maxLength={500} onInput={(event) => setRow(row.key, { question: event.currentTarget.value })} />
                <input class="kn-input kn-golden-product" aria-label={t("kn.field.productId")} placeholder={t("kn.field.productId")} value={row.productId} maxLength={128} onInput={(event) => setRow(row.key, { productId: event.currentTarget.value })} />
                <button type="button" class="btn btn-quiet btn-icon" aria-label={t("kn.removeEntry")} onClick={() => setRows(rows.filter((entry) => entry.key !== row.key))}>
                  <Icon name="trash" size={14} />
                </button>
              </li>
            ))}
          </ol>
          <div class="kn-publish-bar">
            <button type="button" class="btn btn-quiet btn-sm" onClick={() => setRows([...rows, { key: ++rowKey, question: "", productId: "" }])}>
              <Icon name="plus" size={14} /> {t("kn.addQuestion")}
            </button>
            <span class="kn-spacer" />
            {status && (
              <span class={status.kind === "ok" ? "kn-ok small" : "composer-error"} role={status.kind === "ok" ? "status" : "alert"}>
                {status.text}
              </span>
            )}
            <button type="submit" class="btn btn-primary" disabled={!dirty || busy} aria-busy={busy}>
              {t("kn.save")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
