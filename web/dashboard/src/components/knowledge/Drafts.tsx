import { useEffect, useState } from "preact/hooks";
import { ago } from "../../format.ts";
import { useLang, useNow } from "../../hooks.ts";
import { knowledgeApi, type Draft } from "../../knowledge-api.ts";
import { ConfirmButton, Icon } from "../bits.tsx";
import { LoadedList, messageOf, QuestionAnswerFields, SectionPage, useKnowledge, useLoad } from "./shared.tsx";

export function Drafts() {
  const { t } = useLang();
  const knowledge = useKnowledge();
  const loaded = useLoad(() => knowledgeApi.drafts(), [knowledge.revision]);
  useEffect(() => {
    if (loaded.data) knowledge.setCount("drafts", loaded.data.length);
  }, [loaded.data]);
  const drafts = loaded.data;
  return (
    <SectionPage id="drafts" title={t("kn.drafts")} count={drafts?.length} hint={t("kn.draftsHint")} error={loaded.error}>
      <LoadedList items={drafts} failed={loaded.error !== null} empty={t("kn.noDrafts")}>
        {(drafts) => (
          <ol class="kn-drafts">
            {drafts.map((draft) => (
              <DraftCard key={draft.id} draft={draft} onGone={() => loaded.set(drafts.filter((entry) => entry.id !== draft.id))} />
            ))}
          </ol>
        )}
      </LoadedList>
    </SectionPage>
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
      <QuestionAnswerFields question={question} answer={answer} rows={4} error={error} onQuestion={setQuestion} onAnswer={setAnswer} />
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
