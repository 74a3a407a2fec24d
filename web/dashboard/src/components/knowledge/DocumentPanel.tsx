import { useState } from "preact/hooks";
import { useLang } from "../../hooks.ts";
import { faqFromDocument, knowledgeApi, productFromDocument, type FaqInput, type ProductInput, type SourceDocument } from "../../knowledge-api.ts";
import { Icon } from "../bits.tsx";
import { FaqEditor, ProductEditor } from "./DocumentEditors.tsx";
import { ErrorLine, PublishBar, useKnowledge, useLoad } from "./shared.tsx";

// ---- one document: read, edit, delete ----------------------------------------------------------

type Mode = { kind: "view" } | { kind: "edit-faq"; value: FaqInput } | { kind: "edit-product"; value: ProductInput } | { kind: "delete" };

export function DocumentPanel(props: { id: string; onClose: () => void; onReplace: () => void }) {
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
      <ErrorLine error={loaded.error} />
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
