import type { Locale } from "../../shared/locale.ts";

/**
 * The postMessage contract between the loader (on the store's page) and the chat frame (on the
 * Kefu origin). Every message carries `kefu: 1` so unrelated messages on the page are ignored;
 * each side also checks the sender's window and origin, and names the target origin when posting.
 */
export const BRIDGE_TAG = 1;

export type Identity = { name?: string; email?: string; phone?: string };

/** Loader → frame. */
export type HostMessage =
  | {
      kefu: typeof BRIDGE_TAG;
      type: "init";
      /** What the widget kept in the store's localStorage (resume token, unsent messages, …). */
      storage: Record<string, string>;
      productId: string | null;
      locale: Locale;
      open: boolean;
      identity: Identity | null;
      /** The store's brand colour (any CSS colour) and name for the panel's header, when given. */
      accent: string | null;
      title: string | null;
    }
  /** The panel was opened; focus says whether the shopper opened it (move focus in) or a page load restored it. */
  | { kefu: typeof BRIDGE_TAG; type: "open"; focus: boolean }
  | { kefu: typeof BRIDGE_TAG; type: "close" }
  | { kefu: typeof BRIDGE_TAG; type: "set-product"; productId: string | null }
  | { kefu: typeof BRIDGE_TAG; type: "set-locale"; locale: Locale }
  | { kefu: typeof BRIDGE_TAG; type: "identify"; identity: Identity };

/** Frame → loader. */
export type FrameMessage =
  | { kefu: typeof BRIDGE_TAG; type: "ready" }
  /** Keep (or, with null, forget) a value in the store's localStorage for the next page. */
  | { kefu: typeof BRIDGE_TAG; type: "store"; key: string; value: string | null }
  | { kefu: typeof BRIDGE_TAG; type: "unread"; count: number }
  /** The shopper closed the panel from inside (close button or Escape). */
  | { kefu: typeof BRIDGE_TAG; type: "close" }
  | { kefu: typeof BRIDGE_TAG; type: "locale"; locale: Locale };

type Distribute<T> = T extends unknown ? Omit<T, "kefu"> : never;
export type HostMessageBody = Distribute<HostMessage>;
export type FrameMessageBody = Distribute<FrameMessage>;

export function isBridgeMessage(data: unknown): data is { kefu: typeof BRIDGE_TAG; type: string } {
  return typeof data === "object" && data !== null && (data as { kefu?: unknown }).kefu === BRIDGE_TAG && typeof (data as { type?: unknown }).type === "string";
}
