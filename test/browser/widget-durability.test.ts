import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../src/protocol/conversation-events.ts";
import { browserSuite, eventually } from "../support/browser.ts";
import type { TestApp } from "../support/start-test-app.ts";
import { connected, Shopper } from "../support/shopper.ts";
import { widgetOn, type WidgetPage } from "./widget-page.ts";

const SAMPLE_STORE = fileURLToPath(new URL("../../knowledge/", import.meta.url));

const suite = browserSuite(["widget", "demo"]);
/** The server the test talks to now (the latest it started). */
let server: TestApp;
const start = async (options: Parameters<typeof suite.start>[0]) => (server = await suite.start(options));

const texts = (widget: WidgetPage) => widget.shopperMessages.locator(".text").allTextContents();
const shopperMessages = async (conversationId: string) =>
  (await server.app.agentDesk.detail(conversationId)).events.filter((event): event is ConversationEvent & { type: "message" } => event.type === "message" && event.author === "shopper");

// Each test starts a server and a browser page, and some restart the server: on a loaded 2-core
// machine two starts alone can take 20 s, so these get twice the default time.
describe("never losing a message", { timeout: 60_000 }, () => {
  it("keeps the whole conversation across reloads and pages of the store, and follows the shopper's page", async () => {
    await start({ knowledgeDir: SAMPLE_STORE });
    const { page } = await suite.open();
    await page.goto(`${server.url}/demo/products/KF-KIT-0101?lang=en`);
    let widget = widgetOn(page);
    await widget.open();
    await widget.send("How long does delivery take?");
    await eventually(() => widget.answers.last().getAttribute("data-status")).toBe("complete");
    const answerText = await widget.answers.last().locator(".text").textContent();
    const conversationId = await widget.conversationId();

    await page.reload();
    widget = widgetOn(page);
    // Open on the previous page, open here: the panel comes back by itself, with the history.
    await eventually(() => widget.launcher.getAttribute("aria-expanded")).toBe("true");
    await eventually(() => texts(widget)).toEqual(["How long does delivery take?"]);
    await eventually(() => widget.answers.count()).toBe(1);
    expect(await widget.answers.first().locator(".text").textContent()).toBe(answerText);
    expect(await widget.conversationId()).toBe(conversationId);

    // Following the answer's source (the store's help page) moves the whole store page; the chat follows.
    const source = widget.answers.first().locator("a.source").first();
    expect(await source.getAttribute("href")).toBe(`${server.url}/help/shipping`);
    await source.click();
    await page.waitForURL(`${server.url}/demo/help/shipping?lang=en`);
    widget = widgetOn(page);
    await eventually(() => texts(widget)).toEqual(["How long does delivery take?"]);
    expect(await page.locator("article.help h1").textContent()).toBe("Shipping and delivery");

    // Another product page of the same store: same conversation, and the server knows the new page.
    await page.goto(`${server.url}/demo/products/KF-HOM-0303?lang=en`);
    widget = widgetOn(page);
    await eventually(() => texts(widget)).toEqual(["How long does delivery take?"]);
    expect(await widget.conversationId()).toBe(conversationId);
    await eventually(async () => (await server.app.agentDesk.detail(conversationId)).summary.productId).toBe("KF-HOM-0303");

    // The resume token is kept on the store's own origin, namespaced by the Kefu server.
    const keys = await page.evaluate(() => Object.keys(localStorage));
    expect(keys).toContain(`kefu:${server.url}:token`);
  });

  it("queues what the shopper types while the server is down and delivers it once, in order, when it is back", async () => {
    await start({ knowledgeDir: SAMPLE_STORE });
    const port = new URL(server.url).port;
    const { page } = await suite.open();
    await page.goto(`${server.url}/demo/products/KF-KIT-0101?lang=en`);
    const widget = widgetOn(page);
    await widget.open();
    await widget.send("How much does shipping cost?");
    await eventually(() => widget.answers.last().getAttribute("data-status")).toBe("complete");
    const conversationId = await widget.conversationId();

    // The server goes away (as in a deploy or a crash); the widget says so and keeps taking messages.
    await server.app.close();
    await eventually(() => widget.panel.getAttribute("data-connection")).toBe("offline");
    expect(await widget.frame.locator(".banner.offline").isVisible()).toBe(true);
    await widget.send("What is the return policy?");
    await widget.send("And how long is the warranty on the skillet?");
    await eventually(() => widget.shopperMessages.evaluateAll((rows) => rows.map((row) => row.getAttribute("data-status")))).toEqual(["sent", "queued", "queued"]);
    expect(await widget.frame.locator('[data-status="queued"] .status').first().textContent()).toBe("Waiting for connection…");

    // Back on the same address with the same data: both arrive, once each, in the order typed.
    await start({ dataDir: server.dataDir, knowledgeDir: SAMPLE_STORE, env: { PORT: port } });
    await eventually(() => widget.panel.getAttribute("data-connection")).toBe("online");
    await eventually(() => widget.shopperMessages.evaluateAll((rows) => rows.map((row) => row.getAttribute("data-status")))).toEqual(["sent", "sent", "sent"]);
    expect(await texts(widget)).toEqual(["How much does shipping cost?", "What is the return policy?", "And how long is the warranty on the skillet?"]);
    const stored = await shopperMessages(conversationId);
    expect(stored.map((event) => event.text)).toEqual(["How much does shipping cost?", "What is the return policy?", "And how long is the warranty on the skillet?"]);
    expect(stored[1]!.seq).toBeLessThan(stored[2]!.seq);

    // The bot answers both, and a reload shows each message once.
    await eventually(() => widget.answers.evaluateAll((rows) => rows.filter((row) => row.getAttribute("data-status") === "complete").length)).toBe(3);
    await page.reload();
    const again = widgetOn(page);
    await eventually(() => texts(again)).toEqual(["How much does shipping cost?", "What is the return policy?", "And how long is the warranty on the skillet?"]);
    expect(await again.answers.count()).toBe(3);
  });

  it("shows a message the server refuses as failed with a retry, keeps it across a reload, and sends the next ones", async () => {
    await start({ knowledgeDir: SAMPLE_STORE, env: { MAX_MESSAGE_CHARS: "40" } });
    const { page } = await suite.open();
    await page.goto(`${server.url}/demo/products/KF-KIT-0101?lang=en`);
    let widget = widgetOn(page);
    await widget.open();
    const tooLong = "Could you tell me everything about the seasoning of this skillet?";
    await widget.send(tooLong);
    const failed = widget.frame.locator('[data-kind="message"][data-status="failed"]');
    await eventually(() => failed.locator('[role="alert"]').textContent()).toMatch(/^Not sent: The message is too long: at most 40 characters\.Retry$/);
    await widget.send("Is it oven safe?");
    await eventually(() => widget.shopperMessages.evaluateAll((rows) => rows.map((row) => row.getAttribute("data-status")))).toEqual(["sent", "failed"]);

    await page.reload();
    widget = widgetOn(page);
    await eventually(() => texts(widget)).toEqual(["Is it oven safe?", tooLong]);
    expect(await failed.getByRole("button", { name: "Retry" }).count()).toBe(1);
  });

  it("shows a message over the rate limit as slowed (not failed) in the shopper's language, to be sent again when the server says", async () => {
    await start({ knowledgeDir: SAMPLE_STORE, env: { MESSAGES_PER_MINUTE: "1" } });
    const { page } = await suite.open({ locale: "zh-CN" });
    await page.goto(`${server.url}/demo/products/KF-KIT-0101?lang=zh`);
    const widget = widgetOn(page);
    await widget.open();
    await widget.send("可以放进烤箱吗？");
    await eventually(() => widget.shopperMessages.evaluateAll((rows) => rows.map((row) => row.getAttribute("data-status")))).toEqual(["sent"]);
    await widget.send("多重？");
    const slowed = widget.frame.locator('[data-kind="message"][data-status="slowed"]');
    await eventually(() => slowed.locator(".status").textContent()).toBe("发送太频繁，稍后将自动发送");
    // Nothing refused was stored; the one message the server took is there once.
    const [conversation] = await server.app.agentDesk.list({ id: "test" } as Parameters<typeof server.app.agentDesk.list>[0], { filter: "all", limit: 5 });
    expect((await shopperMessages(conversation!.id)).map((event) => event.text)).toEqual(["可以放进烤箱吗？"]);
  });

  it("connects again by itself once a refused connection's wait is over, and sends what the shopper wrote meanwhile", async () => {
    await start({ knowledgeDir: SAMPLE_STORE, env: { SOCKETS_PER_IP: "1" } });
    // Another window on the same network holds the one socket its address may have open.
    const other = new Shopper(server.url);
    await connected(other);
    const { page } = await suite.open();
    await page.goto(`${server.url}/demo/products/KF-KIT-0101?lang=en`);
    const widget = widgetOn(page);
    await widget.open();
    await eventually(() => widget.panel.getAttribute("data-connection")).toBe("offline");
    await widget.send("Is it oven safe?");
    other.socket.close();
    // The refusal (sockets-per-ip) asked for 5 s; socket.io would not have tried again by itself.
    await eventually(() => widget.panel.getAttribute("data-connection")).toBe("online");
    await eventually(() => widget.shopperMessages.evaluateAll((rows) => rows.map((row) => row.getAttribute("data-status")))).toEqual(["sent"]);
  });
});
