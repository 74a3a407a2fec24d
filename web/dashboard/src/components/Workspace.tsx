import { useEffect, useRef, useState } from "preact/hooks";
import { useDesk, useLang } from "../hooks.ts";
import { askNotificationPermission, notificationState, unlockAudio } from "../notify.ts";
import { conversationHash, readRoute, type KnowledgeTab, type Route } from "../routes.ts";
import { AccountPage } from "./Account.tsx";
import { ConversationList } from "./ConversationList.tsx";
import { ConversationView } from "./ConversationView.tsx";
import { Icon, LangSwitch, Logo } from "./bits.tsx";
import { Toasts } from "./Toasts.tsx";

type KnowledgeModule = typeof import("./knowledge/KnowledgePage.tsx");
let knowledgeModule: Promise<KnowledgeModule> | null = null;
/** The knowledge page is admins' only: its code loads when first needed, never for agents. */
const loadKnowledge = () => (knowledgeModule ??= import("./knowledge/KnowledgePage.tsx").catch((error: unknown) => ((knowledgeModule = null), Promise.reject(error))));
const openConversation = (id: string) => (location.hash = conversationHash(id));

export function Workspace(props: { onSignOut: () => void }) {
  const { t } = useLang();
  const [desk, state] = useDesk();
  const { me, connection, presence, onlineAgents, waiting, open } = state;
  const [notify, setNotify] = useState(notificationState);
  const [route, setRoute] = useState<Route>(readRoute);
  const isAdmin = me.role === "admin";
  const view = route.view === "knowledge" && isAdmin ? route : null;
  const page = view ?? (route.view === "account" ? route : null);
  const lastTab = useRef<KnowledgeTab>("documents");
  if (view) lastTab.current = view.tab;

  // Where the agent is lives in the URL (#/c/<id>, #/knowledge/<tab>), so a reload or a shared link opens it again.
  useEffect(() => {
    const fromHash = () => {
      const next = readRoute();
      setRoute(next);
      if (next.view === "desk") desk.open(next.conversationId);
    };
    fromHash();
    addEventListener("hashchange", fromHash);
    return () => removeEventListener("hashchange", fromHash);
  }, [desk]);
  const shownOpen = useRef<string | null>(null);
  useEffect(() => {
    const id = open?.id ?? null;
    const opened = id !== null && id !== shownOpen.current;
    shownOpen.current = id;
    // A conversation opened from the knowledge page (a toast, a knowledge gap) brings the desk back.
    if (page) {
      if (opened) location.hash = conversationHash(id);
      return;
    }
    const hash = id ? conversationHash(id) : "";
    if (location.hash !== hash) history.replaceState(null, "", hash || location.pathname);
  }, [open?.id, page !== null]);

  useEffect(() => {
    document.title = waiting.size > 0 ? `(${waiting.size}) Kefu · ${t("app.title")}` : `Kefu · ${t("app.title")}`;
  }, [waiting.size, t]);

  // Browsers start audio only after a gesture: the first click anywhere unlocks the hand-off beep.
  useEffect(() => {
    const unlock = () => unlockAudio();
    addEventListener("pointerdown", unlock, { once: true });
    return () => removeEventListener("pointerdown", unlock);
  }, []);

  return (
    <div class={`shell ${page ? "shell-knowledge" : open ? "has-open" : ""}`}>
      <header class="topbar">
        <div class="brand">
          <Logo />
          <span class="brand-name">Kefu</span>
          <span class="brand-sub">{t("app.title")}</span>
        </div>
        {isAdmin && (
          <nav class="topnav" aria-label={t("nav.label")}>
            <a class="topnav-link" href={open ? conversationHash(open.id) : "#/"} aria-current={page ? undefined : "page"}>
              <Icon name="chat" /> {t("nav.conversations")}
              {view && waiting.size > 0 && <span class="count">{waiting.size}</span>}
            </a>
            <a class="topnav-link" href={lastTab.current === "documents" ? "#/knowledge" : `#/knowledge/${lastTab.current}`} aria-current={view ? "page" : undefined} onPointerEnter={() => void loadKnowledge().catch(() => undefined)}>
              <Icon name="book" /> {t("nav.knowledge")}
            </a>
          </nav>
        )}
        <span class={`conn conn-${connection}`} role="status" aria-live="polite">
          <span class="dot" aria-hidden="true" />
          {t(`conn.${connection}`)}
        </span>
        <div class="topbar-spacer" />
        {notify === "default" && (
          <button type="button" class="btn btn-quiet btn-sm" title={t("top.notifyHint")} onClick={async () => setNotify(await askNotificationPermission())}>
            <Icon name="bell" /> {t("top.notify")}
          </button>
        )}
        <div class="presence" role="group" aria-label={t("top.presence")}>
          {(["online", "away"] as const).map((status) => (
            <button type="button" class={`presence-option presence-${status}`} aria-pressed={presence === status} onClick={() => desk.setPresence(status)}>
              <span class="dot" aria-hidden="true" />
              {t(status === "online" ? "top.online" : "top.away")}
            </button>
          ))}
        </div>
        {onlineAgents !== null && <span class="muted small">{t("top.agentsOnline", { count: onlineAgents })}</span>}
        <LangSwitch />
        <a class="me" title={me.email} href="#/account" aria-current={route.view === "account" ? "page" : undefined}>
          <span class="avatar" aria-hidden="true">
            {initials(me.name || me.email)}
          </span>
          <span class="me-name">{me.name || me.email}</span>
        </a>
        <button type="button" class="btn btn-quiet btn-sm" onClick={props.onSignOut}>
          {t("top.logout")}
        </button>
      </header>
      {connection === "offline" && (
        <div class="offline-banner" role="alert">
          {t("conn.banner")}
        </div>
      )}
      {view ? (
        <Knowledge tab={view.tab} />
      ) : page ? (
        <AccountPage me={me} />
      ) : (
        <>
          <ConversationList />
          <ConversationView />
        </>
      )}
      <Toasts />
    </div>
  );
}

function Knowledge(props: { tab: KnowledgeTab }) {
  const { t } = useLang();
  const [module, setModule] = useState<KnowledgeModule | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    loadKnowledge().then(setModule, (error: unknown) => setFailed(String((error as Error)?.message ?? error)));
  }, []);
  if (module) return <module.KnowledgePage tab={props.tab} onOpenConversation={openConversation} />;
  return (
    <div class="kn kn-loading" aria-busy={!failed}>
      {failed ? (
        <p class="form-error" role="alert">
          {t("error.timeout")} {failed}
        </p>
      ) : (
        <p class="muted">{t("list.loading")}</p>
      )}
    </div>
  );
}

function initials(name: string): string {
  const parts = name.replace(/@.*/, "").split(/[\s._-]+/).filter(Boolean);
  const first = parts[0] ?? "?";
  if (/[\u3400-\u9fff]/.test(first)) return first.slice(-2);
  return ((first[0] ?? "") + (parts[1]?.[0] ?? "")).toUpperCase();
}
