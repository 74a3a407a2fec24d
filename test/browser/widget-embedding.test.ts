import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSuite, eventually } from "../support/browser.ts";
import type { TestApp } from "../support/start-test-app.ts";
import { widgetOn } from "./widget-page.ts";

const SAMPLE_STORE = fileURLToPath(new URL("../../knowledge/", import.meta.url));
// Two more origins, both on a small loopback server of this test: "localhost" and "127.0.0.1" are
// different sites to the browser, and neither is the Kefu server's origin (another port).
let shopServer: Server;
let SHOP: string;
let STRANGER: string;

/** A store page on another origin whose CSS is as hostile to embedded widgets as CSS gets. */
const hostilePage = (widgetUrl: string, adOrigin: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Loud shop</title>
<style>
  html { font-size: 40px; }
  * { font-family: "Comic Sans MS", cursive !important; color: #f0f !important; background: #ff0 !important; margin: 13px !important; padding: 9px !important; box-sizing: content-box !important; }
  button { display: none !important; }
  iframe { display: none !important; width: 1px !important; height: 1px !important; }
  div, section, kefu-widget, [class] { opacity: .1 !important; transform: rotate(3deg) !important; }
</style></head>
<body><h1>Loud shop</h1>
<iframe id="ad" src="${adOrigin}/ad.html" style="display:block"></iframe>
<script>window.__globalsBefore = Object.getOwnPropertyNames(window);</script>
<script src="${widgetUrl}" data-product="KF-KIT-0101" data-locale="en" async></script>
</body></html>`;

/** A cross-origin ad in the store page. */
const strangerAd = `<!doctype html><html><body>Ad</body></html>`;

const suite = browserSuite(["widget"]);
let server: TestApp;

beforeAll(async () => {
  shopServer = createServer((request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    // Each page's ad comes from the other origin.
    const adOrigin = request.headers.host?.startsWith("localhost") ? STRANGER : SHOP;
    response.end(request.url === "/ad.html" ? strangerAd : hostilePage(`${server.url}/widget.js`, adOrigin));
  });
  await new Promise<void>((resolve) => shopServer.listen(0, "127.0.0.1", resolve));
  const { port } = shopServer.address() as AddressInfo;
  SHOP = `http://localhost:${port}`;
  STRANGER = `http://127.0.0.1:${port}`;
  server = await suite.start({ knowledgeDir: SAMPLE_STORE, env: { ALLOWED_ORIGINS: SHOP } }, "file");
});
afterAll(async () => {
  await new Promise((resolve) => shopServer?.close(resolve));
});

async function openShop(origin: string): Promise<Page> {
  const opened = await suite.open();
  await opened.page.goto(`${origin}/product/skillet`);
  return opened.page;
}

describe("embedding the widget with one script tag", () => {
  it("is untouched by the store's CSS and leaves one global, Kefu", async () => {
    const page = await openShop(SHOP);
    const widget = widgetOn(page);
    await widget.launcher.waitFor();

    const launcher = await widget.launcher.evaluate((element) => {
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return { display: style.display, background: style.backgroundColor, font: style.fontFamily, width: box.width, right: innerWidth - box.right, bottom: innerHeight - box.bottom };
    });
    expect(launcher).toMatchObject({ display: "flex", background: "rgb(15, 118, 110)", width: 56, right: 20, bottom: 20 });
    expect(launcher.font).not.toMatch(/comic/i);
    expect(await page.locator("kefu-widget").evaluate((element) => getComputedStyle(element).opacity)).toBe("1");

    const added = await page.evaluate(() => {
      const before = new Set((window as unknown as { __globalsBefore: string[] }).__globalsBefore);
      return Object.getOwnPropertyNames(window).filter((name) => !before.has(name) && name !== "__globalsBefore");
    });
    expect(added).toEqual(["Kefu"]);
    expect(await page.evaluate(() => Object.keys((window as unknown as { Kefu: object }).Kefu).sort())).toEqual(["close", "identify", "open", "setLocale", "setProduct", "toggle", "version"]);

    await page.evaluate(() => (window as unknown as { Kefu: { open(): void } }).Kefu.open());
    await widget.input.waitFor();
    // The panel opens with a short scale transition: its settled width is the one to check.
    await expect.poll(async () => (await page.locator("kefu-widget iframe").boundingBox())?.width).toBe(384);
    const inside = await widget.input.evaluate((element) => ({ font: getComputedStyle(element).fontFamily, color: getComputedStyle(element).color }));
    expect(inside.font).not.toMatch(/comic/i);
    expect(inside.color).not.toBe("rgb(255, 0, 255)");
  });

  it("takes orders only from the page that embeds it, through its API", async () => {
    const page = await openShop(SHOP);
    const widget = widgetOn(page);
    await widget.launcher.waitFor();
    await page.evaluate(() => (window as unknown as { Kefu: { open(): void } }).Kefu.open());
    await widget.input.waitFor();
    await page.evaluate(() => (window as unknown as { Kefu: { close(): void } }).Kefu.close());
    await eventually(() => widget.launcher.getAttribute("aria-expanded")).toBe("false");

    // A cross-origin ad on the page cannot even see the chat frame (it is in the widget's shadow tree).
    const ad = page.frames().find((frame) => frame.url().endsWith("/ad.html"))!;
    expect(await ad.evaluate(() => window.top!.frames.length)).toBe(1);
    // A script in a same-origin child frame finds it and posts "open": the chat frame takes orders
    // only from its parent window at the embedding origin, so it ignores it.
    const forged = page.evaluate(() => new Promise((resolve) => window.addEventListener("message", (event) => event.data === "forged" && resolve(true))));
    await page.evaluate(() => {
      const forger = document.createElement("iframe");
      forger.srcdoc = `<script>
        const chat = parent.document.querySelector("kefu-widget").shadowRoot.querySelector("iframe").contentWindow;
        chat.postMessage({ kefu: 1, type: "open", focus: true }, "*");
        parent.postMessage("forged", "*");
      <\/script>`;
      document.body.append(forger);
    });
    await forged;
    // The store switches the language through the API: obeyed. Once it shows, the forged message,
    // sent before it, has been dropped: the frame still knows it is closed.
    await page.evaluate(() => (window as unknown as { Kefu: { setLocale(locale: string): void } }).Kefu.setLocale("zh"));
    await eventually(() => widget.input.getAttribute("placeholder")).toBe("请输入您的问题…");
    expect(await widget.panel.getAttribute("data-open")).toBe("false");
    expect(await widget.launcher.getAttribute("aria-expanded")).toBe("false");
    expect(await widget.launcher.getAttribute("aria-label")).toBe("打开在线客服");
  });

  it("cannot be framed by a site that is not in ALLOWED_ORIGINS", async () => {
    const page = await openShop(STRANGER);
    const widget = widgetOn(page);
    await widget.launcher.waitFor();
    const response = page.waitForResponse((candidate) => candidate.url().includes("/widget/frame.html"));
    await widget.launcher.click();
    const headers = (await response).headers();
    expect(headers["content-security-policy"]).toContain(`frame-ancestors 'self' ${SHOP}`);
    // Chromium refuses to render the frame: it shows its own error page instead of the chat.
    await eventually(() => page.frames().find((frame) => frame.parentFrame() === page.mainFrame() && !frame.url().endsWith("/ad.html"))?.url()).toMatch(/^chrome-error:/);
  });
});
