import { pickLocale } from "../../../shared/locale.ts";
import { BRIDGE_TAG, isBridgeMessage, type FrameMessageBody, type HostMessage } from "../bridge-messages.ts";

type Init = Extract<HostMessage, { type: "init" }>;
type Listener = (message: Exclude<HostMessage, Init>) => void;

/** How long to wait for the loader's init before running on defaults (e.g. the frame opened on its own). */
const INIT_TIMEOUT_MS = 4000;

/**
 * The frame's side of the postMessage channel with the loader on the store's page. The store's
 * origin comes from the loader (in the URL hash) and, where the browser tells, must match the
 * real embedding origin; messages go only to that origin and are accepted only from the parent
 * window at that origin. Opened on its own (no parent), the frame keeps its state itself.
 */
export class Bridge {
  readonly parentOrigin: string | null;
  readonly #listeners = new Set<Listener>();
  readonly #early: Exclude<HostMessage, Init>[] = [];
  readonly #embedded: boolean;

  constructor() {
    this.#embedded = window.parent !== window;
    this.parentOrigin = this.#embedded ? trustedParentOrigin() : null;
    window.addEventListener("message", (event: MessageEvent) => {
      if (!this.parentOrigin || event.source !== window.parent || event.origin !== this.parentOrigin || !isBridgeMessage(event.data)) return;
      const message = event.data as HostMessage;
      if (message.type === "init") return;
      // The loader sends what happened before the panel rendered (an "open") right after init: keep it for the first listener.
      if (this.#listeners.size === 0) this.#early.push(message);
      for (const listener of this.#listeners) listener(message);
    });
  }

  /** Whether the frame runs inside a store's page (it does, unless opened directly). */
  get embedded(): boolean {
    return this.#embedded;
  }

  /** Say we are ready and wait for the loader's init; defaults when there is no loader. */
  handshake(): Promise<Init> {
    const fallback: Init = {
      kefu: BRIDGE_TAG, type: "init", storage: readOwnStorage(), productId: null, locale: pickLocale(navigator.language),
      open: true, identity: null, accent: null, title: null,
    };
    if (!this.parentOrigin) return Promise.resolve(fallback);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        window.removeEventListener("message", onMessage);
        resolve(fallback);
      }, INIT_TIMEOUT_MS);
      const onMessage = (event: MessageEvent) => {
        if (event.source !== window.parent || event.origin !== this.parentOrigin || !isBridgeMessage(event.data) || event.data.type !== "init") return;
        clearTimeout(timer);
        window.removeEventListener("message", onMessage);
        const init = event.data as Init;
        resolve({ ...init, storage: init.storage && typeof init.storage === "object" ? init.storage : {}, locale: pickLocale(init.locale) });
      };
      window.addEventListener("message", onMessage);
      this.post({ type: "ready" });
    });
  }

  on(listener: Listener): void {
    this.#listeners.add(listener);
    for (const message of this.#early.splice(0)) listener(message);
  }

  post(message: FrameMessageBody): void {
    if (this.parentOrigin) window.parent.postMessage({ ...message, kefu: BRIDGE_TAG }, this.parentOrigin);
  }

  /** Keep a value for the next page: in the store's storage through the loader, or our own when alone. */
  store(key: string, value: string | null): void {
    if (this.parentOrigin) {
      this.post({ type: "store", key, value });
      return;
    }
    try {
      if (value === null) localStorage.removeItem(`kefu:${key}`);
      else localStorage.setItem(`kefu:${key}`, value);
    } catch {
      // No storage: this page view is all we remember.
    }
  }
}

/** The origin the loader says embeds us, if it is a real origin and agrees with the browser's ancestor list. */
function trustedParentOrigin(): string | null {
  const claimed = new URLSearchParams(location.hash.slice(1)).get("origin");
  if (!claimed) return null;
  let origin: string;
  try {
    origin = new URL(claimed).origin;
  } catch {
    return null;
  }
  if (origin !== claimed || origin === "null") return null;
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ancestors && ancestors.length > 0 && ancestors[0] !== origin) return null;
  return origin;
}

function readOwnStorage(): Record<string, string> {
  const result: Record<string, string> = {};
  try {
    for (let index = 0; index < localStorage.length; index += 1) {
      const key = localStorage.key(index);
      if (key?.startsWith("kefu:")) result[key.slice(5)] = localStorage.getItem(key) ?? "";
    }
  } catch {
    // No storage.
  }
  return result;
}
