import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { useLang } from "../../hooks.ts";
import type { FaqInput, ProductInput } from "../../knowledge-api.ts";
import { Icon } from "../bits.tsx";
import { DocumentPublishBar } from "./shared.tsx";

export function FaqEditor(props: { value: FaqInput; onChange: (value: FaqInput) => void; onDone: () => void }) {
  const { t } = useLang();
  const { value } = props;
  const set = (patch: Partial<FaqInput>) => props.onChange({ ...value, ...patch });
  const setEntry = (index: number, patch: Partial<FaqInput["entries"][number]>) => set({ entries: value.entries.map((entry, at) => (at === index ? { ...entry, ...patch } : entry)) });
  const input: FaqInput = { ...value, url: value.url?.trim() || null, entries: value.entries.filter((entry) => entry.question.trim() || entry.answer.trim()) };
  return (
    <form class="kn-editor" onSubmit={(event) => event.preventDefault()} aria-label={t("kn.editFaq")}>
      <div class="kn-fields">
        <TextField label={t("kn.field.title")} wide value={value.title} onInput={(event) => set({ title: event.currentTarget.value })} required />
        <TextField label={t("kn.field.category")} value={value.category} onInput={(event) => set({ category: event.currentTarget.value })} />
        <TextField label={t("kn.field.url")} value={value.url ?? ""} onInput={(event) => set({ url: event.currentTarget.value })} placeholder="/help/…" />
      </div>
      <h3 class="kn-h3">
        {t("kn.entries")} <span class="count-soft">{value.entries.length}</span>
      </h3>
      <ol class="kn-entries">
        {value.entries.map((entry, index) => (
          <li class="kn-entry">
            <div class="kn-entry-head">
              <span class="passage-rank">{index + 1}</span>
              <input class="kn-input" aria-label={t("kn.field.question")} placeholder={t("kn.field.question")} value={entry.question} onInput={(event) => setEntry(index, { question: event.currentTarget.value })} />
              <button type="button" class="btn btn-quiet btn-icon" aria-label={t("kn.removeEntry")} title={t("kn.removeEntry")} onClick={() => set({ entries: value.entries.filter((_, at) => at !== index) })}>
                <Icon name="trash" size={14} />
              </button>
            </div>
            <textarea class="kn-input" rows={3} aria-label={t("kn.field.answer")} placeholder={t("kn.field.answer")} value={entry.answer} onInput={(event) => setEntry(index, { answer: event.currentTarget.value })} />
          </li>
        ))}
      </ol>
      <button type="button" class="btn btn-quiet btn-sm kn-add" onClick={() => set({ entries: [...value.entries, { question: "", answer: "" }] })}>
        <Icon name="plus" size={14} /> {t("kn.addEntry")}
      </button>
      <DocumentPublishBar input={input} title={input.title} disabled={input.entries.length === 0 || !input.title.trim()} onDone={props.onDone} />
    </form>
  );
}

export function ProductEditor(props: { value: ProductInput; onChange: (value: ProductInput) => void; onDone: () => void }) {
  const { t } = useLang();
  const { value } = props;
  // Attributes are edited as rows (a record cannot hold a half-typed or repeated key).
  const [rows, setRows] = useState(() => Object.entries(value.attributes));
  const set = (patch: Partial<ProductInput>) => props.onChange({ ...value, ...patch });
  const setRow = (index: number, row: [string, string]) => setRows(rows.map((current, at) => (at === index ? row : current)));
  const input: ProductInput = {
    ...value,
    url: value.url?.trim() || null,
    attributes: Object.fromEntries(rows.filter(([key]) => key.trim()).map(([key, text]) => [key.trim(), text.trim()])),
  };
  return (
    <form class="kn-editor" onSubmit={(event) => event.preventDefault()} aria-label={t("kn.editProduct")}>
      <div class="kn-fields">
        <TextField label={t("kn.field.name")} wide value={value.name} onInput={(event) => set({ name: event.currentTarget.value })} required />
        <TextField label={t("kn.field.category")} value={value.category} onInput={(event) => set({ category: event.currentTarget.value })} />
        <TextField label={t("kn.field.launchDate")} type="date" value={value.launchDate} onInput={(event) => set({ launchDate: event.currentTarget.value })} />
        <TextField label={t("kn.field.price")} type="number" min="0" step="any" value={String(value.price)} onInput={(event) => set({ price: Number(event.currentTarget.value) })} />
        <TextField label={t("kn.field.currency")} value={value.currency} maxLength={3} onInput={(event) => set({ currency: event.currentTarget.value.toUpperCase() })} />
        <TextField label={t("kn.field.url")} wide value={value.url ?? ""} onInput={(event) => set({ url: event.currentTarget.value })} />
      </div>
      <h3 class="kn-h3">{t("kn.attributes")}</h3>
      <ul class="kn-attrs">
        {rows.map(([key, text], index) => (
          <li>
            <input class="kn-input" aria-label={t("kn.field.attrKey")} placeholder={t("kn.field.attrKey")} value={key} onInput={(event) => setRow(index, [event.currentTarget.value, text])} />
            <input class="kn-input" aria-label={t("kn.field.attrValue")} placeholder={t("kn.field.attrValue")} value={text} onInput={(event) => setRow(index, [key, event.currentTarget.value])} />
            <button type="button" class="btn btn-quiet btn-icon" aria-label={t("kn.removeEntry")} onClick={() => setRows(rows.filter((_, at) => at !== index))}>
              <Icon name="trash" size={14} />
            </button>
          </li>
        ))}
      </ul>
      <button type="button" class="btn btn-quiet btn-sm kn-add" onClick={() => setRows([...rows, ["", ""]])}>
        <Icon name="plus" size={14} /> {t("kn.addAttribute")}
      </button>
      <label class="field">
        {t("kn.field.description")}
        <textarea class="kn-input" rows={5} value={value.description} onInput={(event) => set({ description: event.currentTarget.value })} />
      </label>
      <DocumentPublishBar input={input} title={input.name} disabled={!input.name.trim()} onDone={props.onDone} />
    </form>
  );
}

/** A labelled input of the editors' field grid. */
function TextField(props: JSX.InputHTMLAttributes<HTMLInputElement> & { label: string; wide?: boolean }) {
  const { label, wide, ...input } = props;
  return (
    <label class={wide ? "field kn-wide" : "field"}>
      {label}
      <input {...input} />
    </label>
  );
}
