import { useDesk, useLang } from "../hooks.ts";
import { Icon } from "./bits.tsx";

export function Toasts() {
  const { t } = useLang();
  const [desk, state] = useDesk();
  return (
    <div class="toasts" role="region" aria-live="polite" aria-label={t("toast.handoff")}>
      {state.toasts.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.kind}`} role={toast.kind === "error" ? "alert" : "status"}>
          <div class="toast-body">
            <strong>{toast.title}</strong>
            {toast.body && <span class="toast-text">{toast.body}</span>}
          </div>
          {toast.conversationId && (
            <button
              type="button"
              class="btn btn-primary btn-sm"
              onClick={() => {
                desk.open(toast.conversationId);
                desk.dismissToast(toast.id);
              }}
            >
              {t("toast.open")}
            </button>
          )}
          <button type="button" class="btn btn-quiet btn-icon" aria-label={t("toast.dismiss")} onClick={() => desk.dismissToast(toast.id)}>
            <Icon name="close" />
          </button>
        </div>
      ))}
    </div>
  );
}
