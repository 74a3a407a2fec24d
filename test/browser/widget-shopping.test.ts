import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, FrameLocator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSuite, eventually, PHONE, saveScreenshot } from "../support/browser.ts";
import type { TestApp } from "../support/start-test-app.ts";
import { widgetOn } from "./widget-page.ts";

const SAMPLE_STORE = fileURLToPath(new URL("../../knowledge/", import.meta.url));
/** The sample store's "today". */
const TODAY = new Date("2026-11-22T10:00:00Z");
const MARKUP_NAME = '<img src=x onerror="window.pwned=1"> Rock Speaker';
const markup = {
  sku: "KF-TST-0001", lang: "en", name: MARKUP_NAME, category: "Audio", price: 99, currency: "CNY", launchDate: "2026-11-01",
  attributes: { "Water resistance": "IP67 <b>sealed</b>" }, description: "<script>window.pwned=2</script> A small speaker.", url: "/demo/products/KF-TST-0001",
};

const suite = browserSuite(["widget", "demo"]);
let server: TestApp;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "kefu-shop-browser-"));
  await cp(SAMPLE_STORE, folder, { recursive: true });
  await writeFile(join(folder, "catalog-markup.jsonl"), `${JSON.stringify(markup)}\n`);
  // No LLM: the offline path composes the cards and the sentence.
  server = await suite.start({ knowledgeDir: folder, overrides: { clock: () => TODAY } }, "file");
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Nothing in the panel is wider than the panel, except inside the cards' and the table's own scrollers. */
async function overflowing(frame: FrameLocator): Promise<string[]> {
  return frame.locator("section.panel").evaluate((panel) => {
    const limit = panel.getBoundingClientRect().right + 1;
    const found: string[] = [];
    for (const element of panel.querySelectorAll("*")) {
      if (element.closest(".cards, .compare")) continue;
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.right > limit) found.push(`${element.tagName.toLowerCase()}.${element.className} right=${Math.round(box.right)} > ${Math.round(limit)}`);
    }
    return found;
  });
}

const CASES = [
  {
    lang: "en", device: {}, name: "desktop-en", newChip: "What's new?", newBadge: "New", view: "View",
    discover: "a quiet air purifier for a 30 m² room under ¥1,500", compare: "the 4.5 L vs the 8 L air fryer", priceHeader: "Price",
    pageChips: ["What accessories go with it?", "How loud is it?", "How big a room is it for?"],
  },
  {
    lang: "zh", device: PHONE, name: "phone-zh", newChip: "有什么新品？", newBadge: "新品", view: "查看",
    discover: "30平米房间用的安静空气净化器，1500元以内", compare: "4.5 升和 8 升的空气炸锅有什么区别", priceHeader: "价格",
    pageChips: ["有哪些配件？", "噪音有多大？", "适用多大面积？"],
  },
] as const;

describe("shopping in the widget", () => {
  it.each(CASES)("new-arrivals chip, product cards and a comparison table ($name)", async ({ lang, device, name, newChip, newBadge, view, discover, compare, priceHeader }) => {
    const { page, errors } = await suite.open({ ...device, locale: lang === "zh" ? "zh-CN" : "en-US" });
    await page.goto(`${server.url}/demo?lang=${lang}`);
    const widget = widgetOn(page);
    await widget.open();

    // On the home page the server offers a "new arrivals" chip; tapping it asks it.
    const chip = widget.frame.locator(".chip", { hasText: newChip });
    await chip.click();
    await eventually(() => widget.shopperMessages.last().textContent()).toContain(newChip);
    const newCards = widget.answers.last().locator(".card");
    await eventually(() => newCards.count()).toBeGreaterThan(1);
    for (const card of await newCards.all()) {
      expect(await card.locator(".badge.new").textContent()).toBe(newBadge);
      expect(await card.locator(".card-price").textContent()).toMatch(/^¥[\d,]+$/);
      expect((await card.locator(".card-name").textContent())!.length).toBeGreaterThan(3);
    }
    expect(await overflowing(widget.frame)).toEqual([]);
    await saveScreenshot(page, `shopping-new-${name}`);

    // Discovery with filters: one matching card, its reason, and a link to its page.
    await widget.send(discover);
    const cards = widget.answers.last().locator(".card");
    await eventually(() => cards.count()).toBe(1);
    const purifier = cards.first();
    expect(await purifier.getAttribute("data-sku")).toBe("KF-HOM-0303");
    expect(await purifier.locator(".card-price").textContent()).toBe("¥1,299");
    expect(await purifier.locator(".card-reason").textContent()).toMatch(/22 (dB|分贝)/);
    const link = purifier.locator(".card-link");
    expect(await link.textContent()).toBe(view);
    expect(await link.getAttribute("href")).toBe(`${server.url}/demo/products/KF-HOM-0303`);
    expect(await overflowing(widget.frame)).toEqual([]);
    await saveScreenshot(page, `shopping-cards-${name}`);

    // Compare two air fryers: a table with a column each, the differing rows marked, readable on a phone.
    await widget.send(compare);
    const table = widget.answers.last().locator(".compare table");
    await table.waitFor();
    expect(await table.locator("thead th").count()).toBe(3);
    const priceRow = table.locator("tbody tr", { has: page.locator("th", { hasText: priceHeader }) }).first();
    expect(await priceRow.locator("td").allTextContents()).toEqual(["¥459", "¥799"]);
    expect(await table.locator("tr.differs").count()).toBeGreaterThan(0);
    // Every cell is at least readable: no cell narrower than a few characters, none cut off vertically.
    const cellSizes = await table.locator("td, th").evaluateAll((cells) => cells.map((cell) => ({ width: cell.getBoundingClientRect().width, clipped: cell.scrollHeight > cell.clientHeight + 1 })));
    expect(cellSizes.every((cell) => cell.width >= 60 && !cell.clipped)).toBe(true);
    expect(await overflowing(widget.frame)).toEqual([]);
    await widget.answers.last().locator(".compare").scrollIntoViewIfNeeded();
    await saveScreenshot(page, `shopping-compare-${name}`);

    // Opening a card counts a click for the operators.
    const before = (await server.app.shopping.counts()).find((count) => count.sku === "KF-HOM-0303")?.clicked ?? 0;
    await page.route("**/demo/products/KF-HOM-0303*", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<p>product page</p>" }));
    await widget.frame.locator('.card[data-sku="KF-HOM-0303"] .card-link').last().click();
    await eventually(async () => (await server.app.shopping.counts()).find((count) => count.sku === "KF-HOM-0303")?.clicked ?? 0).toBe(before + 1);
    // ...and then the link is followed, in the whole page.
    await eventually(() => page.url()).toBe(`${server.url}/demo/products/KF-HOM-0303`);
    expect(errors).toEqual([]);
  });

  it.each(CASES)("question chips on a product page, in the shopper's language ($name)", async ({ lang, device, name, pageChips }) => {
    const { page, errors } = await suite.open({ ...device, locale: lang === "zh" ? "zh-CN" : "en-US" });
    await page.goto(`${server.url}/demo/products/KF-HOM-0303?lang=${lang}`);
    const widget = widgetOn(page);
    await widget.open();
    const chips = widget.frame.locator(".suggestions .chip");
    await eventually(async () => (await chips.allTextContents()).slice(0, 3)).toEqual([...pageChips]);
    expect(await overflowing(widget.frame)).toEqual([]);
    await saveScreenshot(page, `shopping-chips-${name}`);
    await chips.first().click();
    await eventually(() => widget.answers.last().locator(".card").count()).toBeGreaterThan(0);
    expect(await widget.answers.last().locator(".card").first().getAttribute("data-sku")).toBe("KF-ACC-0701");
    expect(errors).toEqual([]);
  });

  it("shows markup in catalog text as text, and answers a hostile price filter without breaking", async () => {
    const { page, errors } = await suite.open({ locale: "en-US" });
    await page.goto(`${server.url}/demo?lang=en`);
    const widget = widgetOn(page);
    await widget.open();

    await widget.send("air purifier with a price under -1e308");
    await eventually(() => widget.answers.last().textContent()).toContain("can't use");
    expect(await widget.answers.last().locator(".card").count()).toBe(0);

    await widget.send("Any waterproof speakers under ¥200?");
    const card = widget.answers.last().locator('.card[data-sku="KF-TST-0001"]');
    await card.waitFor();
    expect(await card.locator(".card-name").textContent()).toBe(MARKUP_NAME);
    expect(await card.locator("img, script, b").count()).toBe(0);
    expect(await widget.frame.locator("section.panel img[src='x']").count()).toBe(0);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    expect(await widget.frame.locator("body").evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    await saveScreenshot(page, "shopping-markup-desktop-en");

    // The widget still works after all of it.
    await widget.send("What's new?");
    await eventually(() => widget.answers.last().locator(".card").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
