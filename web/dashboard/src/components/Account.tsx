import { useEffect, useState } from "preact/hooks";
import type { AgentProfile } from "../../../../src/protocol/agent-events.ts";
import { changeOwnPassword, listAgents, resetAgentPassword, setAgentDisabled, type AgentAccount } from "../account-api.ts";
import { ApiError } from "../api.ts";
import { useLang } from "../hooks.ts";

const TEXT = {
  en: {
    title: "Account",
    own: "Change your password",
    current: "Current password",
    next: "New password (at least 10 characters)",
    save: "Change password",
    saved: "Password changed. Your other sessions were signed out.",
    team: "Team",
    name: "Name",
    email: "Email",
    role: "Role",
    status: "Status",
    active: "Active",
    disabled: "Disabled",
    disable: "Disable",
    enable: "Enable",
    setPassword: "Set password",
    set: "Set",
    cancel: "Cancel",
    passwordSet: "Password set for {email}; their sessions were signed out.",
    you: "you",
  },
  zh: {
    title: "账户",
    own: "修改密码",
    current: "当前密码",
    next: "新密码（至少 10 个字符）",
    save: "修改密码",
    saved: "密码已修改，你在其他设备上的登录已退出。",
    team: "团队",
    name: "姓名",
    email: "邮箱",
    role: "角色",
    status: "状态",
    active: "正常",
    disabled: "已停用",
    disable: "停用",
    enable: "启用",
    setPassword: "设置密码",
    set: "设置",
    cancel: "取消",
    passwordSet: "已为 {email} 设置密码，其登录已全部退出。",
    you: "你",
  },
} as const;

const DONE_KEY = "kefu.passwordChanged";
const message = (failure: unknown) => (failure instanceof ApiError ? failure.message : String(failure));

/** The signed-in agent's password, and for admins the team: disable, enable, set a password. */
export function AccountPage(props: { me: AgentProfile }) {
  const { lang } = useLang();
  const text = TEXT[lang];
  return (
    <main class="account">
      <h1 class="kn-h1">{text.title}</h1>
      <OwnPassword />
      {props.me.role === "admin" && <Team me={props.me} />}
    </main>
  );
}

function OwnPassword() {
  const text = TEXT[useLang().lang];
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  // The desk reconnects with the new session after a change, so "done" survives in this tab's storage.
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: boolean }>(() => ({ busy: false, error: null, done: sessionStorage.getItem(DONE_KEY) !== null }));
  useEffect(() => sessionStorage.removeItem(DONE_KEY), []);
  const submit = async (event: Event) => {
    event.preventDefault();
    setState({ busy: true, error: null, done: false });
    try {
      sessionStorage.setItem(DONE_KEY, "1");
      await changeOwnPassword(current, next).catch((failure: unknown) => (sessionStorage.removeItem(DONE_KEY), Promise.reject(failure)));
      setCurrent("");
      setNext("");
      setState({ busy: false, error: null, done: true });
    } catch (failure) {
      setState({ busy: false, error: message(failure), done: false });
    }
  };
  return (
    <form class="account-card" onSubmit={submit} aria-labelledby="own-password">
      <h2 id="own-password">{text.own}</h2>
      {state.error && <p class="form-error" role="alert">{state.error}</p>}
      {state.done && <p class="form-notice" role="status">{text.saved}</p>}
      <label class="field">
        <span>{text.current}</span>
        <input type="password" autoComplete="current-password" required value={current} onInput={(event) => setCurrent(event.currentTarget.value)} />
      </label>
      <label class="field">
        <span>{text.next}</span>
        <input type="password" autoComplete="new-password" required minLength={10} value={next} onInput={(event) => setNext(event.currentTarget.value)} />
      </label>
      <button type="submit" class="btn btn-primary" disabled={state.busy}>
        {text.save}
      </button>
    </form>
  );
}

function Team(props: { me: AgentProfile }) {
  const text = TEXT[useLang().lang];
  const [agents, setAgents] = useState<AgentAccount[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const refresh = () => listAgents().then(setAgents, (failure: unknown) => setError(message(failure)));
  useEffect(() => void refresh(), []);
  const act = async (work: () => Promise<unknown>, done: string | null = null) => {
    setError(null);
    setNotice(null);
    try {
      await work();
      setNotice(done);
      await refresh();
    } catch (failure) {
      setError(message(failure));
    }
  };
  return (
    <section class="account-card account-team" aria-labelledby="team-title">
      <h2 id="team-title">{text.team}</h2>
      {error && <p class="form-error" role="alert">{error}</p>}
      {notice && <p class="form-notice" role="status">{notice}</p>}
      <table class="kn-table">
        <thead>
          <tr>
            <th>{text.name}</th>
            <th>{text.email}</th>
            <th>{text.role}</th>
            <th>{text.status}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr key={agent.id} class={agent.disabled ? "account-disabled" : undefined}>
              <td>
                {agent.name} {agent.id === props.me.id && <span class="muted small">({text.you})</span>}
              </td>
              <td>{agent.email}</td>
              <td>{agent.role}</td>
              <td>{agent.disabled ? text.disabled : text.active}</td>
              <td class="account-actions">
                {editing === agent.id ? (
                  <form
                    class="account-inline"
                    onSubmit={(event) => {
                      event.preventDefault();
                      void act(() => resetAgentPassword(agent.id, password), text.passwordSet.replace("{email}", agent.email)).then(() => (setEditing(null), setPassword("")));
                    }}
                  >
                    <input type="password" aria-label={text.next} placeholder={text.next} autoComplete="new-password" required minLength={10} value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
                    <button type="submit" class="btn btn-primary btn-sm">{text.set}</button>
                    <button type="button" class="btn btn-quiet btn-sm" onClick={() => setEditing(null)}>{text.cancel}</button>
                  </form>
                ) : (
                  <>
                    <button type="button" class="btn btn-quiet btn-sm" onClick={() => (setEditing(agent.id), setPassword(""))}>
                      {text.setPassword}
                    </button>
                    {agent.id !== props.me.id && (
                      <button type="button" class={`btn btn-sm ${agent.disabled ? "btn-quiet" : "btn-danger"}`} onClick={() => void act(() => setAgentDisabled(agent.id, !agent.disabled))}>
                        {agent.disabled ? text.enable : text.disable}
                      </button>
                    )}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
