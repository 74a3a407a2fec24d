import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSuite, eventually, PHONE, saveScreenshot } from "../support/browser.ts";
import { FakeLlmServer } from "../support/fake-llm-server.ts";
import type { TestApp } from "../support/start-test-app.ts";
import { widgetOn } from "./widget-page.ts";

const SAMPLE_STORE = fileURLToPath(new URL("../../knowledge/", import.meta.url));
const SKILLET = "KF-KIT-0101";
const REPLIES = {
  en: "VERDICT: ANSWERED\nYes. The skillet is oven safe: take off the silicone handle sleeve first, because it only resists heat up to 230 °C [1].",
  zh: "VERDICT: ANSWERED\n可以放进烤箱。放入烤箱前请先取下硅胶手柄套，它只耐热到 230 °C [1]。",
};

const suite = browserSuite(["widget", "demo"]);
let llm: FakeLlmServer;
let server: TestApp;

beforeAll(async () => {
  llm = await FakeLlmServer.start();
  // Slow enough tokens that the answer is visibly on its way before it is complete.
  llm.respondWith((request) => {
    const question = /<question>\n([\s\S]*?)\n<\/question>/.exec(request.body.messages.at(-1)?.content ?? "")?.[1] ?? "";
    return { reply: /\p{Script=Han}/u.test(question) ? REPLIES.zh : REPLIES.en, chunkSize: 4, tokenMs: 40, firstTokenMs: 400 };
  });
  server = await suite.start({ knowledgeDir: SAMPLE_STORE, env: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "test", LLM_TIMEOUT_SECONDS: "10" } }, "file");
});
afterAll(async () => {
  await llm?.close();
});

describe("asking on a product page", () => {
  it.each([
    { lang: "en", question: "Can I put this skillet in the oven?", placeholder: "Type your question…", sources: "Sources", screenshot: "widget-desktop-en", device: {} },
    { lang: "zh", question: "这个煎锅可以放进烤箱吗？", placeholder: "请输入您的问题…", sources: "信息来源", screenshot: "widget-phone-zh", device: PHONE },
  ] as const)("shows a cited answer in the page's language ($lang), and keeps the shopper's rating", async ({ lang, question, placeholder, sources, screenshot, device }) => {
    const { page, errors } = await suite.open({ ...device, locale: lang === "zh" ? "zh-CN" : "en-US" });
    await page.goto(`${server.url}/demo/products/${SKILLET}?lang=${lang}`);
    const widget = widgetOn(page);
    await widget.open();
    await eventually(() => widget.input.getAttribute("placeholder")).toBe(placeholder);

    await widget.send(question);
    // The bot is typing until its answer starts to show.
    await eventually(() => widget.frame.locator(".typing").textContent()).toBe(lang === "zh" ? "智能助手正在输入" : "Assistant is typing");
    const answer = widget.answers.last();
    // Seen while streaming: part of the answer, marked busy, before its sources.
    const streaming = widget.frame.locator('[data-kind="answer"][data-status="streaming"] .text');
    await eventually(async () => ((await streaming.count()) > 0 ? (await streaming.textContent())!.length : 0)).toBeGreaterThan(0);
    const partial = (await streaming.textContent())!;
    await eventually(() => answer.getAttribute("data-status")).toBe("complete");
    const final = (await answer.locator(".text").textContent())!;
    expect(final.length).toBeGreaterThan(partial.length);
    expect(final.startsWith(partial)).toBe(true);
    expect(final).toContain(lang === "zh" ? "硅胶手柄套" : "silicone handle sleeve");

    // The source it used, linking to the product page of the store.
    await eventually(() => answer.locator(".sources-title").textContent()).toBe(sources);
    const link = answer.locator("a.source").first();
    expect(await link.getAttribute("href")).toBe(`${server.url}/demo/products/${SKILLET}`);
    expect(await link.textContent()).toContain(lang === "zh" ? "铸铁煎锅" : "Cast Iron Skillet");

    await answer.locator(".feedback button").first().click();
    await eventually(() => answer.locator(".feedback button").first().getAttribute("aria-pressed")).toBe("true");
    const conversationId = await widget.conversationId();
    const answerId = (await answer.getAttribute("data-answer-id"))!;
    await eventually(() => server.app.service.listFeedback(conversationId)).toEqual([{ answerId, rating: "up", at: expect.any(String) }]);

    await page.mouse.move(0, 0);
    await saveScreenshot(page, screenshot);
    expect(errors).toEqual([]);
  });

  it("sends on Enter but never in the middle of an input method composition, and is usable from the keyboard", async () => {
    const { page } = await suite.open();
    await page.goto(`${server.url}/demo/products/${SKILLET}?lang=en`);
    const widget = widgetOn(page);
    await widget.launcher.waitFor();

    // Keyboard: focus the launcher, open with Enter, land in the message box, close with Escape.
    await widget.launcher.focus();
    await page.keyboard.press("Enter");
    await eventually(() => widget.input.evaluate((element) => document.activeElement === element && document.hasFocus())).toBe(true);
    expect(await widget.launcher.getAttribute("aria-expanded")).toBe("true");

    // An IME composing 你好 (pinyin "nihao"): the Enter that picks the candidate must not send.
    await widget.input.evaluate((element: HTMLTextAreaElement) => {
      element.dispatchEvent(new CompositionEvent("compositionstart", { data: "" }));
      element.value = "nihao";
      element.dispatchEvent(new InputEvent("input", { data: "nihao", inputType: "insertCompositionText", isComposing: true }));
      element.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", code: "Enter", keyCode: 229, isComposing: true, bubbles: true, cancelable: true }));
      element.value = "你好";
      element.dispatchEvent(new CompositionEvent("compositionend", { data: "你好" }));
      element.dispatchEvent(new InputEvent("input", { data: "你好", inputType: "insertFromComposition" }));
    });
    expect(await widget.shopperMessages.count()).toBe(0);
    expect(await widget.input.inputValue()).toBe("你好");

    // Shift+Enter is a new line; Enter sends the whole message once.
    await widget.input.press("Shift+Enter");
    await widget.input.pressSequentially("how long is delivery?");
    await widget.input.press("Enter");
    await eventually(() => widget.shopperMessages.count()).toBe(1);
    expect(await widget.shopperMessages.first().locator(".text").textContent()).toBe("你好\nhow long is delivery?");
    expect(await widget.input.inputValue()).toBe("");

    await page.keyboard.press("Escape");
    await eventually(() => widget.launcher.getAttribute("aria-expanded")).toBe("false");
    await eventually(() => page.evaluate(() => document.activeElement?.tagName)).toBe("KEFU-WIDGET");
    // Labels and the live region screen readers need.
    await widget.open();
    await widget.input.waitFor();
    expect(await widget.frame.locator('[role="status"][aria-live="polite"]').count()).toBeGreaterThan(0);
    expect(await widget.frame.getByRole("textbox", { name: "Your message" }).count()).toBe(1);
    expect(await widget.frame.getByRole("button", { name: "Close chat" }).count()).toBe(1);

    // The shopper's own choice of language holds on the store's next pages.
    await widget.frame.getByRole("button", { name: "切换到中文" }).click();
    await eventually(() => widget.input.getAttribute("placeholder")).toBe("请输入您的问题…");
    await page.reload();
    await eventually(() => widgetOn(page).input.getAttribute("placeholder")).toBe("请输入您的问题…");
    expect(await widgetOn(page).launcher.getAttribute("aria-label")).toBe("关闭在线客服");
  });
});
