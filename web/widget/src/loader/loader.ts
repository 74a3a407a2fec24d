import { pickLocale, type Locale } from "../../../shared/locale.ts";
import { BRIDGE_TAG, isBridgeMessage, type FrameMessage, type HostMessageBody, type Identity } from "../bridge-messages.ts";
import { HostStorage } from "./host-storage.ts";
import { WidgetHost } from "./widget-host.ts";

/** The one global the widget leaves on the store's page. */
export type KefuApi = {
  readonly version: string;
  open(): void;
  close(): void;
  toggle(): void;
  /** The product page the shopper is on now (SKU), for single-page stores; null for none. */
  setProduct(productId: string | null): void;
  setLocale(locale: Locale): void;
  /** Prefill the contact form with what the store already knows about the shopper (never sent unasked). */
  identify(identity: Identity): void;
};

declare global {
  interface Window {
    Kefu?: KefuApi;
  }
}

const DEFAULT_ACCENT = "#0f766e";

/**
 * widget.js: read the script tag's data-* options, put the launcher on the page, and load the chat
 * frame from the Kefu server when it is needed: at once when this store's shopper already has a
 * conversation (so replies can raise the unread badge), otherwise on first intent to open.
 */
function boot(script: HTMLScriptElement): void {
  if (window.Kefu) return;
  const scriptUrl = new URL(script.src, location.href);
  const kefuOrigin = scriptUrl.origin;
  const options = script.dataset;
  const storage = new HostStorage(kefuOrigin);
  let productId = options.product?.trim() || null;
  let locale = pickLocale(options.locale, document.documentElement.lang, navigator.language);
  let identity: Identity | null = null;
  const accent = options.color && CSS.supports("color", options.color) ? options.color : DEFAULT_ACCENT;
  const title = options.title?.trim() || null;

  let open = false;
  let frameReady = false;
  const pending: HostMessageBody[] = [];

  const host = new WidgetHost({
    accent,
    position: options.position === "left" ? "left" : "right",
    locale,
    onLauncher: () => (open ? close() : openPanel()),
    onPrewarm: () => ensureFrame(),
  });

  function post(message: HostMessageBody): void {
    const target = host.frame?.contentWindow;
    if (!frameReady || !target) {
      if (message.type !== "init") pending.push(message);
      return;
    }
    target.postMessage({ ...message, kefu: BRIDGE_TAG }, kefuOrigin);
  }

  function ensureFrame(): void {
    if (host.frame) return;
    const frameUrl = new URL("widget/frame.html", scriptUrl);
    frameUrl.hash = new URLSearchParams({ origin: location.origin }).toString();
    host.mountFrame(frameUrl.href);
  }

  function openPanel(focus = true): void {
    ensureFrame();
    open = true;
    storage.set("open", "1");
    host.setOpen(true);
    if (focus) host.frame?.focus();
    post({ type: "open", focus });
  }

  function close(): void {
    if (!open) return;
    open = false;
    storage.set("open", null);
    host.setOpen(false);
    post({ type: "close" });
    host.focusLauncher();
  }

  window.addEventListener("message", (event: MessageEvent) => {
    const frame = host.frame;
    if (!frame || event.source !== frame.contentWindow || event.origin !== kefuOrigin || !isBridgeMessage(event.data)) return;
    const message = event.data as FrameMessage;
    switch (message.type) {
      case "ready":
        frameReady = true;
        post({ type: "init", storage: storage.entries(), productId, locale, open, identity, accent, title });
        for (const queued of pending.splice(0)) post(queued);
        break;
      case "store":
        if (typeof message.key === "string") storage.set(message.key, typeof message.value === "string" ? message.value : null);
        break;
      case "unread":
        host.setUnread(Math.max(0, Math.floor(Number(message.count)) || 0));
        break;
      case "close":
        close();
        break;
      case "locale":
        locale = pickLocale(message.locale);
        host.setLocale(locale);
        break;
    }
  });

  const api: KefuApi = Object.freeze({
    version: "1",
    open: () => openPanel(),
    close,
    toggle: () => (open ? close() : openPanel()),
    setProduct(next: string | null) {
      productId = typeof next === "string" && next.trim() ? next.trim() : null;
      post({ type: "set-product", productId });
    },
    setLocale(next: Locale) {
      locale = pickLocale(next);
      host.setLocale(locale);
      post({ type: "set-locale", locale });
    },
    identify(next: Identity) {
      identity = { ...identity, ...pickStrings(next) };
      post({ type: "identify", identity });
    },
  });
  Object.defineProperty(window, "Kefu", { value: api, configurable: false, enumerable: false, writable: false });

  // A shopper who had the panel open on the previous page finds it open here too; one with a
  // conversation gets the frame at once so a reply raises the badge.
  if (storage.get("open") === "1") openPanel(false);
  else if (storage.get("token")) ensureFrame();
  window.dispatchEvent(new Event("kefu:ready"));
}

function pickStrings(identity: Identity): Identity {
  const result: Identity = {};
  for (const key of ["name", "email", "phone"] as const) {
    const value = identity?.[key];
    if (typeof value === "string" && value.trim()) result[key] = value.trim().slice(0, 200);
  }
  return result;
}

// currentScript is only known while this script runs (and not at all for some tag managers'
// wrappers, hence the fallback); the page may still be parsing its body.
const currentScript = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="/widget.js"]');
if (currentScript?.src && !window.Kefu) {
  if (document.body) boot(currentScript);
  else document.addEventListener("DOMContentLoaded", () => boot(currentScript), { once: true });
}
