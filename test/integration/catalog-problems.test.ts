import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

let server: TestApp;
const shoppers: Shopper[] = [];
afterEach(async () => {
  for (const client of shoppers.splice(0)) client.close();
  await server?.close();
});

const line = (fields: Record<string, unknown>) => JSON.stringify({ lang: "en", category: "Kitchen", currency: "CNY", launchDate: "2026-01-01", description: "A test product.", ...fields });
const csvHeader = "sku,lang,name,category,price,currency,launchDate,attributes,description,url";

describe("malformed catalog values at ingest", () => {
  it("reports a price that is not a number and an attribute with no value with file and line, and never answers from them", async () => {
    server = await startTestApp();
    await writeFile(join(server.knowledgeDir, "teapots.jsonl"), `${line({ sku: "T-POT-1", name: "Clay Teapot", price: 129, attributes: { Capacity: "0.5 L" } })}\n${line({ sku: "T-POT-2", name: "Iron Teapot", price: "199元", attributes: { Capacity: "1.2 L" } })}\n`);
    await writeFile(join(server.knowledgeDir, "mugs.csv"), `${csvHeader}\r\nT-MUG-1,en,Stone Mug,Kitchen,59,CNY,2026-01-01,Capacity: 350 ml; Weight:,A mug.,\r\n`);
    server = await server.restart();
    const report = await server.app.ready;
    expect(report.problems).toEqual(expect.arrayContaining([
      { file: "teapots.jsonl", line: 2, message: expect.stringContaining("price") },
      { file: "mugs.csv", line: 2, message: expect.stringContaining("Weight") },
    ]));
    for (const id of ["product:T-POT-2:en", "product:T-MUG-1:en"]) expect(await server.app.knowledge.hasDocument(id)).toBe(false);

    // Asked on the page of a product that was not ingested, the bot states no price as its price.
    for (const [productId, question] of [["T-POT-2", "How much does it cost?"], ["T-MUG-1", "How heavy is it?"]] as const) {
      const client = new Shopper(server.url);
      shoppers.push(client);
      await client.start({ productId, locale: "en" });
      await client.send(question);
      const outcome = await client.waitFor((event) => event.type === "answer-end" || (event.type === "state-changed" && event.state === "waiting"));
      if (outcome.type === "answer-end") {
        // No catalog fact of this or any other product is given as its answer.
        expect(outcome.text).not.toMatch(/199|Iron Teapot|Stone Mug|Clay Teapot|Kettle/);
        expect(outcome.citations.every((citation) => citation.productId === null)).toBe(true);
      }
    }
  });
});
