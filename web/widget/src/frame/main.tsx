import { render } from "preact";
import { pickLocale } from "../../../shared/locale.ts";
import { Bridge } from "./bridge.ts";
import { ChatClient } from "./chat-client.ts";
import { ChatPanel } from "./components/chat-panel.tsx";
import { FrameStorage } from "./frame-storage.ts";
import "./styles.css";

/** The chat frame: agree with the loader, restore what the widget remembers, connect, render. */
async function main(): Promise<void> {
  const bridge = new Bridge();
  const init = await bridge.handshake();
  const storage = new FrameStorage(init.storage, (key, value) => bridge.store(key, value));
  // The shopper's own choice of language, made on an earlier page, wins over the page's.
  const locale = pickLocale(storage.get("locale"), init.locale);
  if (init.accent && CSS.supports("color", init.accent)) document.documentElement.style.setProperty("--accent", init.accent);
  if (init.locale !== locale) bridge.post({ type: "locale", locale });

  const client = new ChatClient({ url: location.origin, storage, productId: init.productId, locale });
  client.connect();
  render(
    <ChatPanel client={client} bridge={bridge} storage={storage} initial={{ locale, open: init.open, identity: init.identity, title: init.title }} />,
    document.getElementById("app")!,
  );
}

void main();
