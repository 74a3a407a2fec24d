import { useState } from "preact/hooks";
import type { AgentProfile } from "../../../../src/protocol/agent-events.ts";
import { ApiError, login } from "../api.ts";
import { useLang } from "../hooks.ts";
import { unlockAudio } from "../notify.ts";
import { LangSwitch, Logo } from "./bits.tsx";

export function Login(props: { notice: string | null; onLoggedIn: (agent: AgentProfile) => void }) {
  const { t } = useLang();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    unlockAudio();
    setBusy(true);
    setError(null);
    try {
      const result = await login({ email: email.trim(), password });
      props.onLoggedIn(result.agent);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div class="login-brand">
          <Logo />
          <span class="brand-name">Kefu</span>
          <span class="brand-sub">{t("app.title")}</span>
        </div>
        <h1 id="login-title">{t("login.title")}</h1>
        {props.notice && !error && (
          <p class="form-notice" role="status">
            {props.notice}
          </p>
        )}
        {error && (
          <p class="form-error" role="alert">
            <strong>{t("login.failed")}.</strong> {error}
          </p>
        )}
        <label class="field">
          <span>{t("login.email")}</span>
          <input type="email" name="email" autoComplete="username" required autoFocus value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t("login.password")}</span>
          <input type="password" name="password" autoComplete="current-password" required value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
        </label>
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? t("login.busy") : t("login.submit")}
        </button>
        <div class="login-foot">
          <LangSwitch />
        </div>
      </form>
    </main>
  );
}
