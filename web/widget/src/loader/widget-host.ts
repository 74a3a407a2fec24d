import type { Locale } from "../../../shared/locale.ts";
import { LOADER_CSS } from "./loader-styles.ts";

const LABELS: Record<Locale, { open: string; close: string; unread: (count: number) => string; frame: string }> = {
  en: { open: "Open chat", close: "Close chat", unread: (count) => `, ${count} unread`, frame: "Customer service chat" },
  zh: { open: "打开在线客服", close: "关闭在线客服", unread: (count) => `，${count} 条未读`, frame: "在线客服聊天" },
};

const CHAT_ICON = `<svg class="chat-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 21 12z"/><path d="M8.5 11h.01M12 11h.01M15.5 11h.01" stroke-width="3"/></svg>`;
const CLOSE_ICON = `<svg class="close-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" aria-hidden="true"><path d="M6 9l6 6 6-6"/></svg>`;

/**
 * The widget's element on the store's page: a custom element with a shadow root holding
 * the launcher button and the panel that wraps the chat iframe (open, so testing and accessibility tools can see in; the chat itself is in a cross-origin frame). Its own inline !important styles
 * keep the host page's CSS from hiding or moving it.
 */
export class WidgetHost {
  readonly #host: HTMLElement;
  readonly #launcher: HTMLButtonElement;
  readonly #badge: HTMLElement;
  readonly #panel: HTMLElement;
  #frame: HTMLIFrameElement | null = null;
  #locale: Locale;
  #open = false;
  #unread = 0;

  constructor(options: { accent: string; position: "left" | "right"; locale: Locale; onLauncher: () => void; onPrewarm: () => void }) {
    this.#locale = options.locale;
    this.#host = document.createElement("kefu-widget");
    this.#host.style.cssText =
      "all: initial !important; display: block !important; position: fixed !important; z-index: 2147483000 !important; width: 0 !important; height: 0 !important; bottom: 0 !important; right: 0 !important; margin: 0 !important; padding: 0 !important; opacity: 1 !important; visibility: visible !important; transform: none !important;";
    this.#host.style.setProperty("--kefu-accent", options.accent);
    if (options.position === "left") this.#host.classList.add("left");
    const root = this.#host.attachShadow({ mode: "open" });
    adoptStyles(root, LOADER_CSS);

    this.#launcher = document.createElement("button");
    this.#launcher.type = "button";
    this.#launcher.className = "launcher";
    this.#launcher.setAttribute("aria-haspopup", "dialog");
    this.#launcher.innerHTML = CHAT_ICON + CLOSE_ICON;
    this.#badge = document.createElement("span");
    this.#badge.className = "badge";
    this.#badge.hidden = true;
    this.#badge.setAttribute("aria-hidden", "true");
    this.#launcher.append(this.#badge);
    this.#launcher.addEventListener("click", options.onLauncher);
    // Start loading the chat as soon as the shopper shows intent, so it is ready by the click.
    this.#launcher.addEventListener("pointerenter", options.onPrewarm, { once: true });
    this.#launcher.addEventListener("focus", options.onPrewarm, { once: true });

    this.#panel = document.createElement("div");
    this.#panel.className = "panel";
    root.append(this.#panel, this.#launcher);
    this.#render();
    (document.body ?? document.documentElement).append(this.#host);
  }

  get frame(): HTMLIFrameElement | null {
    return this.#frame;
  }

  /** Add the chat iframe (once). */
  mountFrame(src: string): HTMLIFrameElement {
    if (this.#frame) return this.#frame;
    const frame = document.createElement("iframe");
    frame.src = src;
    frame.title = LABELS[this.#locale].frame;
    frame.setAttribute("referrerpolicy", "origin");
    this.#panel.append(frame);
    this.#frame = frame;
    return frame;
  }

  setOpen(open: boolean): void {
    this.#open = open;
    this.#render();
  }

  setUnread(count: number): void {
    this.#unread = count;
    this.#render();
  }

  setLocale(locale: Locale): void {
    this.#locale = locale;
    if (this.#frame) this.#frame.title = LABELS[locale].frame;
    this.#render();
  }

  focusLauncher(): void {
    this.#launcher.focus();
  }

  #render(): void {
    const labels = LABELS[this.#locale];
    this.#host.classList.toggle("open", this.#open);
    this.#launcher.setAttribute("aria-expanded", String(this.#open));
    const unread = this.#open ? 0 : this.#unread;
    this.#launcher.setAttribute("aria-label", (this.#open ? labels.close : labels.open) + (unread > 0 ? labels.unread(unread) : ""));
    this.#badge.hidden = unread === 0;
    this.#badge.textContent = unread > 99 ? "99+" : String(unread);
  }
}

/** Constructed stylesheets are not subject to the host page's style-src CSP; a <style> is the fallback. */
function adoptStyles(root: ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement("style");
    style.textContent = css;
    root.append(style);
  }
}
