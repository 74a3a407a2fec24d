import type { FrameLocator, Locator, Page } from "playwright-core";

/** A store page with the Kefu widget on it, seen the way a shopper uses it. */
export type WidgetPage = {
  launcher: Locator;
  badge: Locator;
  frame: FrameLocator;
  panel: Locator;
  input: Locator;
  answers: Locator;
  shopperMessages: Locator;
  notices: Locator;
  open(): Promise<void>;
  send(text: string): Promise<void>;
  conversationId(): Promise<string>;
};

export function widgetOn(page: Page): WidgetPage {
  // CSS locators pierce the widget's shadow root; the chat itself is in the iframe.
  const launcher = page.locator("kefu-widget .launcher");
  const frame = page.frameLocator("kefu-widget iframe");
  const panel = frame.locator("section.panel");
  const input = frame.locator(".composer textarea");
  return {
    launcher,
    badge: page.locator("kefu-widget .badge"),
    frame,
    panel,
    input,
    answers: frame.locator('[data-kind="answer"]'),
    shopperMessages: frame.locator('[data-kind="message"][data-author="shopper"]'),
    notices: frame.locator('[data-kind="notice"]'),
    async open() {
      await launcher.click();
      await input.waitFor();
    },
    async send(text: string) {
      await input.fill(text);
      await input.press("Enter");
    },
    async conversationId() {
      await panel.and(frame.locator("[data-conversation-id]")).waitFor();
      return (await panel.getAttribute("data-conversation-id"))!;
    },
  };
}
