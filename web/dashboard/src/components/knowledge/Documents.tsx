import { useEffect, useRef, useState } from "preact/hooks";
import { ago } from "../../format.ts";
import { useLang, useNow } from "../../hooks.ts";
import { faqFromDocument, knowledgeApi, productFromDocument, type DocumentInfo, type FaqInput, type ProductInput, type SourceDocument } from "../../knowledge-api.ts";
import { Icon } from "../bits.tsx";
import { Problems, PublishBar, reportText, useKnowledge, useLoad } from "./shared.tsx";

type Staged = { name: string; size: number; content: string };

const MAX_UPLOAD = 5_000_000;
const ACCEPT = ".jsonl,.csv,.md";

export function Documents() {
  const { t, lang } = useLang();
  const knowledge = useKnowledge();
  const now = useNow(30_000);
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const [staged, setStaged] = useState<Staged | null>(null);
  const [notice, setNotice] = useState<{ kind: "info" | "error"; text: string } | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(search), 200);
    return () => clearTimeout(timer);
  }, [search]);
  const list = useLoad(() => knowledgeApi.documents(query), [query, knowledge.revision]);
  const documents = list.data?.documents ?? null;
  const folder = useLoad(() => knowledgeApi.folderProblems(), [knowledge.revision]);
  const folderProblems = folder.data ?? [];

  const stage = async (file: File | undefined) => {
    if (!file) return;
    setNotice(null);
    if (!/\.(jsonl|csv|md)$/i.test(file.name)) return setNotice({ kind: "error", text: t("kn.upload.type", { name: file.name }) });
    if (file.size > MAX_UPLOAD) return setNotice({ kind: "error", text: t("kn.upload.tooBig", { name: file.name }) });
    setStaged({ name: file.name, size: file.size, content: await file.text() });
  };

  return (
    <div
      class={`kn-docs ${selected ? "kn-docs-open" : ""} ${dragging ? "kn-dragging" : ""}`}
      onDragOver={(event) => {
        if (!event.dataTransfer?.types.includes("Files")) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        void stage(event.dataTransfer?.files[0]);
      }}
    >
      <section class="kn-docs-list" aria-labelledby="kn-docs-title">
        <div class="kn-toolbar">
          <h2 id="kn-docs-title" class="kn-h2">
            {t("kn.documents")}
            {documents && <span class="count-soft">{documents.length >= 500 ? "500+" : documents.length}</span>}
          </h2>
          <div class="search kn-search">
            <Icon name="search" />
            <input
              type="search"
              value={search}
              placeholder={t("kn.searchPlaceholder")}
              aria-label={t("kn.searchPlaceholder")}
              onInput={(event) => setSearch(event.currentTarget.value)}
              onKeyDown={(event) => event.key === "Escape" && setSearch("")}
            />
          </div>
          <span class="kn-spacer" />
          <input ref={fileInput} type="file" accept={ACCEPT} class="visually-hidden" tabIndex={-1} aria-hidden="true" onChange={(event) => {
            void stage(event.currentTarget.files?.[0]);
            event.currentTarget.value = "";
          }} />
          <button type="button" class="btn btn-primary" title={t("kn.upload.hint")} onClick={() => fileInput.current?.click()}>
            <Icon name="upload" /> {t("kn.upload")}
          </button>
        </div>
        {(notice || staged || list.error || folderProblems.length > 0) && (
          <div class="kn-notices">
            {folderProblems.length > 0 && <Problems problems={folderProblems} title={t("kn.folderProblems")} body={t("kn.folderProblemsBody")} />}
            {notice && (
              <div class={`banner banner-${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"}>
                <span>{notice.text}</span>
                <button type="button" class="btn btn-quiet btn-icon" aria-label={t("toast.dismiss")} onClick={() => setNotice(null)}>
                  <Icon name="close" />
                </button>
              </div>
            )}
            {staged && (
              <UploadCard
                key={`${staged.name}:${staged.size}:${staged.content.length}`}
                file={staged}
                onCancel={() => setStaged(null)}
                onPublished={(text) => {
                  setStaged(null);
                  setNotice({ kind: "info", text });
                }}
              />
            )}
            {list.error && (
              <p class="list-error" role="alert">
                {list.error}
              </p>
            )}
          </div>
        )}
        {documents === null ? (
          <p class="list-empty">{t("list.loading")}</p>
        ) : documents.length === 0 ? (
          <p class="list-empty">{query.trim() ? t("list.emptySearch", { search: query.trim() }) : t("kn.noDocuments")}</p>
        ) : (
          <div class="kn-table-wrap">
            <table class="kn-table kn-doc-table" aria-busy={list.loading}>
              <thead>
                <tr>
                  <th>{t("kn.col.title")}</th>
                  <th>{t("kn.col.kind")}</th>
                  <th>{t("kn.col.source")}</th>
                  <th class="kn-num">{t("kn.col.passages")}</th>
                  <th class="kn-right">{t("kn.col.updated")}</th>
                </tr>
              </thead>
              <tbody>
                {documents.map((document) => (
                  <DocumentRow document={document} current={selected === document.id} now={now} lang={lang} onOpen={() => setSelected(selected === document.id ? null : document.id)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {dragging && (
          <div class="kn-drop" aria-hidden="true">
            <Icon name="upload" size={28} />
            {t("kn.upload.drop")}
          </div>
        )}
      </section>
      {selected && <DocumentPanel key={selected} id={selected} onClose={() => setSelected(null)} onReplace={() => fileInput.current?.click()} />}
    </div>
  );
}

function DocumentRow(props: { document: DocumentInfo; current: boolean; now: number; lang: "en" | "zh"; onOpen: () => void }) {
  const { document } = props;
  return (
    <tr class={`kn-doc-row ${props.current ? "kn-current" : ""}`} data-document-id={document.id} onClick={props.onOpen}>
      <td class="kn-doc-title">
        <button type="button" class="kn-link" aria-expanded={props.current} onClick={(event) => (event.stopPropagation(), props.onOpen())}>
          {document.title}
        </button>
        <span class="mono muted">{document.id}</span>
      </td>
      <td>
        <span class="kn-kind-cell">
          <span class={`tag kn-kind kn-kind-${document.kind === "product" ? "product" : "faq"}`}>{document.kind}</span>
          <span class="tag tag-lang">{document.lang.toUpperCase()}</span>
        </span>
      </td>
      <td class="kn-source" title={document.source}>
        {sourceLabel(document.source)}
      </td>
      <td class="kn-num">{document.passages}</td>
      <td class="kn-right muted" title={document.updatedAt}>
        {ago(document.updatedAt, props.now, props.lang)}
      </td>
    </tr>
  );
}

/** "file:catalog.jsonl" → "catalog.jsonl"; "api:lead@store" → "lead@store". */
function sourceLabel(source: string): string {
  return source.replace(/^(file|api):/, "");
}

function UploadCard(props: { file: Staged; onCancel: () => void; onPublished: (text: string) => void }) {
  const { t } = useLang();
  const knowledge = useKnowledge();
  const { name, content, size } = props.file;
  const lines = content.split(/\r?\n/).filter((line) => line.trim()).length;
  const kind = /\.md$/i.test(name) ? t("kn.upload.md") : /\.csv$/i.test(name) ? t("kn.upload.csv") : t("kn.upload.jsonl");
  return (
    <section class="kn-card kn-upload" aria-label={t("kn.upload")}>
      <div class="kn-upload-file">
        <span class="kn-file-icon">
          <Icon name="page" size={20} />
        </span>
        <div>
          <strong class="kn-file-name">{name}</strong>
          <span class="muted small">
            {kind} · {formatSize(size)} · {t("kn.upload.lines", { count: lines })}
          </span>
        </div>
      </div>
      <PublishBar
        check={() => knowledgeApi.check({ documents: [{ type: "file", filename: name, content }] })}
        publish={(force) => knowledgeApi.upload(name, content, force)}
        onCancel={props.onCancel}
        onPublished={(result) => {
          knowledge.published(result.report, name);
          props.onPublished(`${name}: ${reportText(t, result.report)}`);
        }}
      />
    </section>
  );
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// ---- one document: read, edit, delete ----------------------------------------------------------

type Mode = { kind: "view" } | { kind: "edit-faq"; value: FaqInput } | { kind: "edit-product"; value: ProductInput } | { kind: "delete" };

function DocumentPanel(props: { id: string; onClose: () => void; onReplace: () => void }) {
  const { t } = useLang();
  const knowledge = useKnowledge();
  const loaded = useLoad(() => knowledgeApi.document(props.id), [props.id, knowledge.revision]);
  const [mode, setMode] = useState<Mode>({ kind: "view" });
  const document = loaded.data;
  const faq = document ? faqFromDocument(document) : null;
  const product = document && !faq ? productFromDocument(document) : null;
  const fromFile = document?.source.startsWith("file:") ? document.source.slice(5) : null;

  return (
    <aside class="kn-panel" aria-labelledby="kn-panel-title" onKeyDown={(event) => event.key === "Escape" && mode.kind === "view" && props.onClose()}>
      <header class="kn-panel-head">
        <div class="kn-panel-title">
          <h2 id="kn-panel-title">{document?.title ?? props.id}</h2>
          <span class="mono muted">{props.id}</span>
        </div>
        <button type="button" class="btn btn-quiet btn-icon" aria-label={t("toast.dismiss")} onClick={props.onClose}>
          <Icon name="close" />
        </button>
      </header>
      {loaded.error && (
        <p class="form-error kn-pad" role="alert">
          {loaded.error}
        </p>
      )}
      {!document ? (
        !loaded.error && <p class="list-empty">{t("list.loading")}</p>
      ) : mode.kind === "edit-faq" ? (
        <FaqEditor value={mode.value} onChange={(value) => setMode({ kind: "edit-faq", value })} onDone={() => setMode({ kind: "view" })} />
      ) : mode.kind === "edit-product" ? (
        <ProductEditor value={mode.value} onChange={(value) => setMode({ kind: "edit-product", value })} onDone={() => setMode({ kind: "view" })} />
      ) : (
        <>
          <div class="kn-panel-meta">
            <span class={`tag kn-kind kn-kind-${document.kind === "product" ? "product" : "faq"}`}>{document.kind}</span>
            <span class="tag tag-lang">{document.lang.toUpperCase()}</span>
            {document.productId && <span class="mono">{document.productId}</span>}
            {document.url && (
              <a href={document.url} target="_blank" rel="noopener noreferrer" class="small">
                {document.url} <Icon name="link" size={12} />
              </a>
            )}
          </div>
          {fromFile && <p class="kn-hint">{t("kn.fromFile", { file: fromFile })}</p>}
          {mode.kind === "delete" ? (
            <div class="kn-delete">
              <p>
                <strong>{t("kn.deleteConfirm", { title: document.title })}</strong> {t("kn.deleteBody")}
              </p>
              <PublishBar
                danger
                publishLabel={t("kn.delete")}
                check={() => knowledgeApi.check({ documents: [], delete: [document.id] })}
                publish={() => knowledgeApi.remove(document.id)}
                onCancel={() => setMode({ kind: "view" })}
                onPublished={(result) => {
                  knowledge.published(result.report, t("kn.deleted", { title: document.title }));
                  props.onClose();
                }}
              />
            </div>
          ) : (
            <div class="kn-panel-actions">
              {faq && (
                <button type="button" class="btn btn-secondary" onClick={() => setMode({ kind: "edit-faq", value: faq })}>
                  <Icon name="edit" size={14} /> {t("kn.edit")}
                </button>
              )}
              {product && (
                <button type="button" class="btn btn-secondary" onClick={() => setMode({ kind: "edit-product", value: product })}>
                  <Icon name="edit" size={14} /> {t("kn.edit")}
                </button>
              )}
              {!faq && !product && (
                <button type="button" class="btn btn-secondary" title={t("kn.replaceHint")} onClick={props.onReplace}>
                  <Icon name="upload" size={14} /> {t("kn.replace")}
                </button>
              )}
              <span class="kn-spacer" />
              <button type="button" class="btn btn-quiet btn-danger" onClick={() => setMode({ kind: "delete" })}>
                <Icon name="trash" size={14} /> {t("kn.delete")}
              </button>
            </div>
          )}
          <SectionsView document={document} />
        </>
      )}
    </aside>
  );
}

function SectionsView(props: { document: SourceDocument }) {
  const { t } = useLang();
  return (
    <div class="kn-sections">
      <h3 class="kn-h3">
        {t("kn.content")} <span class="count-soft">{props.document.sections.length}</span>
      </h3>
      <ol>
        {props.document.sections.map((section) => (
          <li class="kn-section">
            <strong>{section.title}</strong>
            <p>{section.text}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}

function FaqEditor(props: { value: FaqInput; onChange: (value: FaqInput) => void; onDone: () => void }) {
  const { t } = useLang();
  const knowledge = useKnowledge();
  const { value } = props;
  const set = (patch: Partial<FaqInput>) => props.onChange({ ...value, ...patch });
  const setEntry = (index: number, patch: Partial<FaqInput["entries"][number]>) => set({ entries: value.entries.map((entry, at) => (at === index ? { ...entry, ...patch } : entry)) });
  const input: FaqInput = { ...value, url: value.url?.trim() || null, entries: value.entries.filter((entry) => entry.question.trim() || entry.answer.trim()) };
  return (
    <form class="kn-editor" onSubmit={(event) => event.preventDefault()} aria-label={t("kn.editFaq")}>
      <div class="kn-fields">
        <label class="field kn-wide">
          {t("kn.field.title")}
          <input value={value.title} onInput={(event) => set({ title: event.currentTarget.value })} required />
        </label>
        <label class="field">
          {t("kn.field.category")}
          <input value={value.category} onInput={(event) => set({ category: event.currentTarget.value })} />
        </label>
        <label class="field">
          {t("kn.field.url")}
          <input value={value.url ?? ""} onInput={(event) => set({ url: event.currentTarget.value })} placeholder="/help/…" />
        </label>
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
      <PublishBar
        changeKey={JSON.stringify(input)}
        disabled={input.entries.length === 0 || !input.title.trim()}
        check={() => knowledgeApi.check({ documents: [input] })}
        publish={(force) => knowledgeApi.publish({ documents: [input] }, force)}
        onCancel={props.onDone}
        onPublished={(result) => {
          knowledge.published(result.report, input.title);
          props.onDone();
        }}
      />
    </form>
  );
}

function ProductEditor(props: { value: ProductInput; onChange: (value: ProductInput) => void; onDone: () => void }) {
  const { t } = useLang();
  const knowledge = useKnowledge();
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
        <label class="field kn-wide">
          {t("kn.field.name")}
          <input value={value.name} onInput={(event) => set({ name: event.currentTarget.value })} required />
        </label>
        <label class="field">
          {t("kn.field.category")}
          <input value={value.category} onInput={(event) => set({ category: event.currentTarget.value })} />
        </label>
        <label class="field">
          {t("kn.field.launchDate")}
          <input type="date" value={value.launchDate} onInput={(event) => set({ launchDate: event.currentTarget.value })} />
        </label>
        <label class="field">
          {t("kn.field.price")}
          <input type="number" min="0" step="any" value={String(value.price)} onInput={(event) => set({ price: Number(event.currentTarget.value) })} />
        </label>
        <label class="field">
          {t("kn.field.currency")}
          <input value={value.currency} maxLength={3} onInput={(event) => set({ currency: event.currentTarget.value.toUpperCase() })} />
        </label>
        <label class="field kn-wide">
          {t("kn.field.url")}
          <input value={value.url ?? ""} onInput={(event) => set({ url: event.currentTarget.value })} />
        </label>
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
      <PublishBar
        changeKey={JSON.stringify(input)}
        disabled={!input.name.trim()}
        check={() => knowledgeApi.check({ documents: [input] })}
        publish={(force) => knowledgeApi.publish({ documents: [input] }, force)}
        onCancel={props.onDone}
        onPublished={(result) => {
          knowledge.published(result.report, input.name);
          props.onDone();
        }}
      />
    </form>
  );
}
