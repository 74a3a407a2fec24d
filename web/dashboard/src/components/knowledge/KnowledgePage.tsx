import { useEffect, useMemo, useState } from "preact/hooks";
import { clock } from "../../format.ts";
import { useDesk, useLang } from "../../hooks.ts";
import { knowledgeApi, type IngestReport } from "../../knowledge-api.ts";
import { KNOWLEDGE_TABS, type KnowledgeTab } from "../../routes.ts";
import { Icon } from "../bits.tsx";
import { Documents } from "./Documents.tsx";
import { Drafts } from "./Drafts.tsx";
import { Gaps } from "./Gaps.tsx";
import { Golden } from "./Golden.tsx";
import { Recommendations } from "./Recommendations.tsx";
import { Versions } from "./Versions.tsx";
import { KnowledgeContext, useLoad, type KnowledgeContextValue } from "./shared.tsx";

const ICONS = { documents: "book", versions: "history", gaps: "help", drafts: "edit", golden: "star", recommendations: "cart" } as const;

/**
 * The admin's knowledge page: documents (search, edit, delete, upload), versions (roll back),
 * what the bot could not answer (gap groups), FAQ drafts (from agents' answers and the catalog),
 * golden questions, and the products the shopping assistant recommended and shoppers opened.
 */
export function KnowledgePage(props: { tab: KnowledgeTab; onOpenConversation: (id: string) => void }) {
  const { t, lang } = useLang();
  const [desk] = useDesk();
  const [revision, setRevision] = useState(0);
  const [counts, setCounts] = useState<KnowledgeContextValue["counts"]>({ drafts: null, gaps: null });
  const versions = useLoad(() => knowledgeApi.versions(), [revision]);
  // The rail's counts: loaded once here, kept current by the sections themselves.
  useEffect(() => {
    knowledgeApi.drafts().then((drafts) => setCounts((current) => ({ ...current, drafts: drafts.length })), () => undefined);
    knowledgeApi.gaps().then((groups) => setCounts((current) => ({ ...current, gaps: groups.length })), () => undefined);
  }, []);

  const context = useMemo<KnowledgeContextValue>(
    () => ({
      revision,
      counts,
      published: (report: IngestReport | null, title?: string) => {
        setRevision((value) => value + 1);
        knowledgeApi.drafts().then((drafts) => setCounts((current) => ({ ...current, drafts: drafts.length })), () => undefined);
        const body = report ? `${title ? `${title} · ` : ""}+${report.added} ~${report.updated} −${report.removed}` : (title ?? "");
        desk.toast({ kind: "info", title: report ? t("kn.versionLive", { version: report.version }) : t("kn.published"), body, conversationId: null });
      },
      openConversation: props.onOpenConversation,
      setCount: (name, count) => setCounts((current) => (current[name] === count ? current : { ...current, [name]: count })),
    }),
    [revision, counts, t, desk, props.onOpenConversation],
  );

  const current = versions.data?.versions.find((version) => version.version === versions.data?.current);

  return (
    <KnowledgeContext.Provider value={context}>
      <div class="kn" id="knowledge">
        <nav class="kn-rail" aria-label={t("nav.knowledge")}>
          <div class="kn-rail-head">
            <h1 class="kn-h1">{t("nav.knowledge")}</h1>
            <p class="kn-serving" aria-live="polite">
              <span class="dot" aria-hidden="true" />
              {versions.data ? (
                <span>
                  {t("kn.serving", { version: versions.data.current })}
                  {current && <span class="muted"> · {clock(current.createdAt, lang)}</span>}
                </span>
              ) : (
                <span class="muted">{t("list.loading")}</span>
              )}
            </p>
          </div>
          <ul>
            {KNOWLEDGE_TABS.map((tab) => {
              const count = tab === "drafts" ? counts.drafts : tab === "gaps" ? counts.gaps : null;
              return (
                <li>
                  <a href={tab === "documents" ? "#/knowledge" : `#/knowledge/${tab}`} class={`kn-rail-link kn-tab-${tab}`} aria-current={props.tab === tab ? "page" : undefined}>
                    <Icon name={ICONS[tab]} />
                    <span>{t(`kn.${tab}`)}</span>
                    {count !== null && count > 0 && <span class={`kn-rail-count ${tab === "drafts" ? "kn-rail-count-strong" : ""}`}>{count}</span>}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <main class="kn-main" aria-label={t(`kn.${props.tab}`)}>
          {props.tab === "documents" && <Documents />}
          {props.tab === "versions" && <Versions />}
          {props.tab === "gaps" && <Gaps />}
          {props.tab === "drafts" && <Drafts />}
          {props.tab === "golden" && <Golden />}
          {props.tab === "recommendations" && <Recommendations />}
        </main>
      </div>
    </KnowledgeContext.Provider>
  );
}
