import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { AgentProfile } from "../../../../src/protocol/agent-events.ts";
import { pendingPasswordChange } from "../account-api.ts";
import { logout, me, session } from "../api.ts";
import { Desk } from "../desk.ts";
import { DeskContext, LangContext } from "../hooks.ts";
import { detectLang, translator, type Lang } from "../i18n.ts";
import { Login } from "./Login.tsx";
import { Workspace } from "./Workspace.tsx";

type Auth = { status: "checking" } | { status: "out"; notice: string | null } | { status: "in"; agent: AgentProfile };

export function App() {
  const [lang, setLangState] = useState<Lang>(detectLang);
  const t = useMemo(() => translator(lang), [lang]);
  const tRef = useRef(t);
  tRef.current = t;
  const setLang = (next: Lang) => {
    localStorage.setItem("kefu.lang", next);
    setLangState(next);
  };
  useEffect(() => {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  }, [lang]);

  // A token in this tab's sessionStorage, or the HttpOnly session cookie, may still be good.
  const [auth, setAuth] = useState<Auth>({ status: "checking" });
  useEffect(() => {
    me().then(
      (agent) => setAuth({ status: "in", agent }),
      () => {
        session.clear();
        setAuth({ status: "out", notice: null });
      },
    );
  }, []);

  const [desk, setDesk] = useState<Desk | null>(null);
  useEffect(() => {
    if (auth.status !== "in") return;
    const created = new Desk(auth.agent, {
      t: () => tRef.current,
      onSessionEnded: (reason) => {
        const signOut = () => {
          session.clear();
          setAuth({ status: "out", notice: tRef.current("login.expired") });
        };
        // This tab changed the password: the old session ended, carry on with the new one.
        if (reason === "password-changed" && pendingPasswordChange) pendingPasswordChange.then((result) => setAuth({ status: "in", agent: result.agent }), signOut);
        else signOut();
      },
    });
    setDesk(created);
    created.start();
    return () => {
      created.stop();
      setDesk(null);
    };
  }, [auth]);

  const signOut = async () => {
    await logout().catch(() => undefined);
    setAuth({ status: "out", notice: null });
  };

  return (
    <LangContext.Provider value={{ lang, t, setLang }}>
      {auth.status === "checking" && <div class="splash" aria-busy="true" />}
      {auth.status === "out" && <Login notice={auth.notice} onLoggedIn={(agent) => setAuth({ status: "in", agent })} />}
      {auth.status === "in" && desk && (
        <DeskContext.Provider value={desk}>
          <Workspace onSignOut={signOut} />
        </DeskContext.Provider>
      )}
    </LangContext.Provider>
  );
}
