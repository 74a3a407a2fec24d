import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { browserSuite, eventually, PHONE, saveScreenshot } from "../support/browser.ts";
import type { TestApp } from "../support/start-test-app.ts";
import { widgetOn } from "./widget-page.ts";

const SAMPLE_STORE = fileURLToPath(new URL("../../knowledge/", import.meta.url));
const AGENT = { id: "agent-li", name: "Li Na" };

const suite = browserSuite(["widget", "demo"]);
let server: TestApp;

describe("handing the shopper to a person", () => {
  it("shows the waiting state and, with no one online, takes the shopper's contact", async () => {
    server = await suite.start({ knowledgeDir: SAMPLE_STORE });
    const { page } = await suite.open();
    await page.goto(`${server.url}/demo/products/KF-KIT-0101?lang=en`);
    const widget = widgetOn(page);
    await widget.open();
    // The store knows the shopper's name (they are signed in): it prefills the form, and nothing is sent unasked.
    await page.evaluate(() => (window as unknown as { Kefu: { identify(identity: object): void } }).Kefu.identify({ name: "Wang Fang" }));
    await widget.send("I want to talk to a real person");

    await eventually(() => widget.notices.allTextContents()).toEqual([expect.stringContaining("No one from our team is online right now")]);
    await eventually(() => widget.frame.locator(".presence").textContent()).toBe("Waiting for a person…");
    expect(await widget.answers.count()).toBe(0);

    const form = widget.frame.locator("form.contact");
    await form.getByRole("button", { name: "Send my details" }).click();
    expect(await form.getByRole("alert").textContent()).toBe("Please leave an email or a phone number.");
    expect(await form.getByLabel("Name").inputValue()).toBe("Wang Fang");
    await form.getByLabel("Email").fill("wang.fang@example.com");
    await form.getByLabel("Message").fill("Please email me about the skillet");
    await form.getByRole("button", { name: "Send my details" }).click();

    await eventually(() => widget.frame.locator('[data-kind="contact"]').textContent()).toBe("Contact left: wang.fang@example.com");
    await eventually(() => widget.notices.last().textContent()).toContain("we have your details");
    expect(await form.count()).toBe(0);
    const conversationId = await widget.conversationId();
    expect((await server.app.agentDesk.detail(conversationId)).summary).toMatchObject({ state: "waiting", contactLeft: true });
  });

  it("queues the shopper when an agent is online; the agent's reply appears, with a badge while the panel is closed", async () => {
    server = await suite.start({ knowledgeDir: SAMPLE_STORE });
    server.app.availability.agentOnline(AGENT.id);
    const { page } = await suite.open(PHONE);
    await page.goto(`${server.url}/demo/products/KF-KIT-0101?lang=zh`);
    const widget = widgetOn(page);
    await widget.open();
    await widget.send("转人工");
    await eventually(() => widget.notices.allTextContents()).toEqual([expect.stringContaining("正在为您转接人工客服，请稍候")]);
    expect(await widget.frame.locator("form.contact").count()).toBe(0);
    const conversationId = await widget.conversationId();

    // The shopper closes the panel; the agent takes over and replies.
    await widget.frame.getByRole("button", { name: "关闭聊天" }).click();
    await eventually(() => widget.launcher.getAttribute("aria-expanded")).toBe("false");
    await server.app.agentDesk.takeOver(conversationId, AGENT);
    await server.app.agentDesk.reply(conversationId, AGENT, { clientId: "reply-1", text: "您好，我是李娜。这款煎锅取下硅胶套后可以放进烤箱。" });

    await eventually(() => widget.badge.textContent()).toBe("2");
    expect(await widget.badge.isVisible()).toBe(true);
    expect(await widget.launcher.getAttribute("aria-label")).toBe("打开在线客服，2 条未读");

    await widget.open();
    await eventually(() => widget.badge.isVisible()).toBe(false);
    const reply = widget.frame.locator('[data-kind="message"][data-author="agent"]');
    await eventually(() => reply.locator(".text").textContent()).toBe("您好，我是李娜。这款煎锅取下硅胶套后可以放进烤箱。");
    expect(await reply.locator(".author").textContent()).toBe("Li Na · 客服");
    expect(await widget.notices.allTextContents()).toContain("Li Na 已加入对话");
    await eventually(() => widget.frame.locator(".presence").textContent()).toBe("Li Na 正在为您服务");

    // The shopper answers the person; the bot stays silent while a person owns the conversation.
    await widget.send("好的，谢谢！");
    await eventually(() => widget.shopperMessages.last().getAttribute("data-status")).toBe("sent");
    const events = (await server.app.agentDesk.detail(conversationId)).events;
    expect(events.filter((event) => event.type === "message" && event.author === "shopper").map((event) => (event as { text: string }).text)).toEqual(["转人工", "好的，谢谢！"]);
    expect(events.some((event) => event.type === "answer-start")).toBe(false);
    await page.mouse.move(0, 0);
    await saveScreenshot(page, "widget-phone-zh-agent");
  });
  it("answers the question it is sure of, names the one it is not, and hands the shopper to a person", async () => {
    server = await suite.start({ knowledgeDir: SAMPLE_STORE });
    const { page } = await suite.open();
    await page.goto(`${server.url}/demo/products/KF-APL-0202?lang=en`);
    const widget = widgetOn(page);
    await widget.open();
    await widget.send("How much is it? And can it play music over Bluetooth?");

    await eventually(() => widget.frame.locator(".presence").textContent()).toBe("Waiting for a person…");
    const answer = widget.answers.last();
    await eventually(() => answer.getAttribute("data-status")).toBe("complete");
    expect(await answer.locator(".text").textContent()).toContain("¥199");
    expect(await answer.locator("a.source").count()).toBeGreaterThan(0);
    const said = widget.frame.locator('[data-kind="message"][data-author="bot"] .text');
    await eventually(() => said.allTextContents()).toEqual([`I'm not sure about "can it play music over Bluetooth?", so I'll pass it to a colleague who can check.`]);
    await page.mouse.move(0, 0);
    await widget.shopperMessages.last().scrollIntoViewIfNeeded();
    await saveScreenshot(page, "widget-desktop-en-part-answered");
  });
});
