import { useState } from "preact/hooks";
import { clock } from "../../format.ts";
import { useLang } from "../../hooks.ts";
import type { Translate } from "../../i18n.ts";
import { knowledgeApi, type KnowledgeVersion } from "../../knowledge-api.ts";
import { ConfirmButton } from "../bits.tsx";
import { LoadedList, messageOf, SectionPage, useKnowledge, useLoad } from "./shared.tsx";

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
    <SectionPage id="versions" title={t("kn.versions")} hint={t("kn.versionsHint")} error={error ?? loaded.error}>
      <LoadedList items={loaded.data?.versions} failed={loaded.error !== null} empty={t("kn.noVersions")}>
        {(versions) => (
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
              {versions.map((version) => (
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
      </LoadedList>
    </SectionPage>
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
