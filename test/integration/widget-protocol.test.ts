import { afterEach, describe, expect, it } from "vitest";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

let server: TestApp;
const shoppers: Shopper[] = [];
async function shopper(url = server.url) {
  const client = new Shopper(url);
  shoppers.push(client);
  await client.start({ locale: "en" });
  return client;
}
const rate = (client: Shopper, answerId: string, rating: string) =>
  client.socket.timeout(5000).emitWithAck("answer-feedback", { answerId, rating } as { answerId: string; rating: "up" | "down" });

afterEach(async () => {
  for (const client of shoppers.splice(0)) client.close();
  await server?.close();
});

describe("answer feedback from the widget", () => {
  it("stores a thumbs up or down with the answer, the latest rating winning, across a restart", async () => {
    server = await startTestApp();
    const client = await shopper();
    await client.send("How long does delivery take?");
    const answer = await client.answerTo(1);

    const up = await rate(client, answer.answerId, "up");
    expect(up).toMatchObject({ ok: true, data: { answerId: answer.answerId, rating: "up" } });
    const down = await rate(client, answer.answerId, "down");
    expect(down).toMatchObject({ ok: true, data: { answerId: answer.answerId, rating: "down" } });

    server = await server.restart();
    const feedback = await server.app.service.listFeedback(client.conversationId!);
    expect(feedback).toEqual([{ answerId: answer.answerId, rating: "down", at: expect.any(String) }]);
  });

  it("refuses ratings of answers that are not this conversation's, and bad ratings", async () => {
    server = await startTestApp();
    const owner = await shopper();
    await owner.send("Is shipping free?");
    const answer = await owner.answerTo(1);
    const stranger = await shopper();

    expect(await rate(stranger, answer.answerId, "up")).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await rate(owner, "no-such-answer", "up")).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await rate(owner, answer.answerId, "meh")).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(await server.app.service.listFeedback(stranger.conversationId!)).toEqual([]);
    expect(await server.app.service.listFeedback(owner.conversationId!)).toEqual([]);
  });

  it("needs a conversation first", async () => {
    server = await startTestApp();
    const client = new Shopper(server.url);
    shoppers.push(client);
    expect(await rate(client, "any", "up")).toMatchObject({ ok: false, error: { code: "INVALID_STATE" } });
  });
});

describe("widget and demo store routes", () => {
  const SAMPLE_STORE = new URL("../../knowledge/", import.meta.url).pathname;

  it("serves the loader briefly cached, hashed assets forever, and the frame only to allowed embedders", async () => {
    server = await startTestApp({ knowledgeDir: SAMPLE_STORE, env: { ALLOWED_ORIGINS: "https://shop.example, https://m.shop.example" } });
    const loader = await fetch(`${server.url}/widget.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get("content-type")).toMatch(/javascript/);
    expect(loader.headers.get("cache-control")).toMatch(/^public, max-age=300\b/);
    expect(loader.headers.get("etag")).toBeTruthy();
    // As a browser revalidates (fetch() alone would add "no-cache" to a conditional request).
    const revalidated = await fetch(`${server.url}/widget.js`, { headers: { "if-none-match": loader.headers.get("etag")!, "cache-control": "max-age=0" } });
    expect(revalidated.status).toBe(304);

    const frame = await fetch(`${server.url}/widget/frame.html`);
    expect(frame.status).toBe(200);
    expect(frame.headers.get("cache-control")).toBe("no-cache");
    const policy = frame.headers.get("content-security-policy")!;
    expect(policy).toContain("frame-ancestors 'self' https://shop.example https://m.shop.example");
    expect(policy).toContain("script-src 'self'");
    const html = await frame.text();
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    const script = await fetch(`${server.url}/widget/${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await fetch(`${server.url}/widget/assets/nope.js`)).status).toBe(404);
  });

  it("lets any site embed the frame with ALLOWED_ORIGINS=*, and never copies a malformed origin into the policy", async () => {
    server = await startTestApp({ knowledgeDir: SAMPLE_STORE, env: { ALLOWED_ORIGINS: "*" } });
    expect((await fetch(`${server.url}/widget/frame.html`)).headers.get("content-security-policy")).toContain("frame-ancestors *");
    await server.close();
    server = await startTestApp({ knowledgeDir: SAMPLE_STORE, env: { ALLOWED_ORIGINS: "https://ok.example,https://x.example; script-src *" } });
    const policy = (await fetch(`${server.url}/widget/frame.html`)).headers.get("content-security-policy")!;
    expect(policy).toContain("frame-ancestors 'self' https://ok.example");
    expect(policy).not.toContain("x.example");
  });

  it("serves the demo store's pages with the widget tag and its products from the sample catalog", async () => {
    server = await startTestApp({ knowledgeDir: SAMPLE_STORE });
    const list = (await (await fetch(`${server.url}/api/products?lang=zh`)).json()) as { products: { sku: string; name: string; price: string }[] };
    expect(list.products.length).toBeGreaterThanOrEqual(40);
    expect(list.products.find((product) => product.sku === "KF-KIT-0101")).toMatchObject({ name: "松溪预开锅铸铁煎锅 26 厘米", price: "¥259" });

    const detail = await fetch(`${server.url}/api/products/KF-KIT-0101?lang=en`);
    expect(detail.headers.get("cache-control")).toBe("public, max-age=60");
    const { product } = (await detail.json()) as { product: Record<string, unknown> };
    expect(product).toMatchObject({
      sku: "KF-KIT-0101", lang: "en", name: "Pinebrook Pre-Seasoned Cast Iron Skillet 26 cm", category: "Kitchen & Cookware",
      price: "¥259", launchDate: "2024-03-15", url: "/demo/products/KF-KIT-0101",
    });
    expect(product.attributes).toContainEqual(["Warranty", "10 years"]);
    expect(product.description).toMatch(/^A heavy 26 cm cast iron skillet/);
    expect((await fetch(`${server.url}/api/products/NOPE-1`)).status).toBe(404);

    const page = await fetch(`${server.url}/demo/products/KF-KIT-0101?lang=zh`);
    const html = await page.text();
    expect(html).toContain('<html lang="zh">');
    expect(html).toContain('<script src="/widget.js" data-product="KF-KIT-0101" data-locale="zh"');
    expect(page.headers.get("set-cookie")).toMatch(/kefu_demo_lang=zh/);
    expect(await (await fetch(`${server.url}/demo/`, { headers: { cookie: "kefu_demo_lang=zh" } })).text()).toContain('<html lang="zh">');
    expect(await (await fetch(`${server.url}/demo/`, { headers: { "accept-language": "en-GB,en;q=0.9" } })).text()).toContain('<html lang="en">');
    expect((await fetch(`${server.url}/demo/products/NOPE-1"><script>`)).status).toBe(404);

    // The sample knowledge's help links (/help/<id>, /zh/help/<id>) lead to the demo's help pages.
    const redirect = await fetch(`${server.url}/zh/help/shipping`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("/demo/help/shipping?lang=zh");
    expect(await (await fetch(`${server.url}/demo/help/shipping?lang=zh`)).text()).toContain('data-help="shipping"');
    const { page: help } = (await (await fetch(`${server.url}/api/help/shipping?lang=en`)).json()) as { page: { title: string; sections: { title: string }[] } };
    expect(help.title).toBe("Shipping and delivery");
    expect(help.sections.map((section) => section.title)).toContain("How long does delivery take?");
  });
});
