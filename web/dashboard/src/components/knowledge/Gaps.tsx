import { useEffect, useState } from "preact/hooks";
import { saveFaqDraft } from "../../api.ts";
import { ago } from "../../format.ts";
import { useLang, useNow } from "../../hooks.ts";
import { knowledgeApi, type QuestionGroup } from "../../knowledge-api.ts";
import { Icon } from "../bits.tsx";
import { LoadedList, messageOf, QuestionAnswerFields, SectionPage, useKnowledge, useLoad } from "./shared.tsx";

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
    <SectionPage
      id="gaps"
      title={t("kn.gaps")}
      hint={t("kn.gapsHint")}
      error={loaded.error}
      tools={
        <button type="button" class="btn btn-quiet btn-sm" onClick={loaded.reload} aria-busy={loaded.loading}>
          {t("kn.refresh")}
        </button>
      }
    >
      <LoadedList items={groups} failed={loaded.error !== null} empty={t("kn.noGaps")}>
        {(groups) => (
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
      </LoadedList>
    </SectionPage>
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
      <QuestionAnswerFields question={question} answer={answer} rows={3} placeholder={t("kn.gapAnswerPlaceholder")} error={error} onQuestion={setQuestion} onAnswer={setAnswer} />
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
