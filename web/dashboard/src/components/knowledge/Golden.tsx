import { useEffect, useState } from "preact/hooks";
import { useLang } from "../../hooks.ts";
import { knowledgeApi } from "../../knowledge-api.ts";
import { Icon } from "../bits.tsx";
import { messageOf, SectionPage, useKnowledge, useLoad } from "./shared.tsx";

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
    <SectionPage id="golden" title={t("kn.golden")} count={rows ? clean.length : null} hint={t("kn.goldenHint")} error={loaded.error}>
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
    </SectionPage>
  );
}
