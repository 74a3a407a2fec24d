import { useEffect, useRef, useState } from "preact/hooks";
import { ago } from "../../format.ts";
import { useLang, useNow } from "../../hooks.ts";
import { knowledgeApi, type DocumentInfo } from "../../knowledge-api.ts";
import { Icon } from "../bits.tsx";
import { DocumentPanel } from "./DocumentPanel.tsx";
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
