import { describe, expect, it } from "vitest";
import { toCatalogProduct } from "../../src/catalog/product.ts";
import { readCatalogCsv, readCatalogJsonl } from "../../src/knowledge/read-catalog.ts";

const good = { sku: "T-1", lang: "en", name: "Kettle", category: "Kitchen", price: 199, currency: "CNY", launchDate: "2024-01-01", attributes: { Capacity: "1.7 L" }, description: "" };
const header = "sku,lang,name,category,price,currency,launchDate,attributes,description,url";

describe("malformed catalog values", () => {
  it("reports a price that is not a number with file and line, and keeps no product from that line", () => {
    const content = [JSON.stringify(good), JSON.stringify({ ...good, sku: "T-2", price: "199元" })].join("\n");
    const { documents, problems } = readCatalogJsonl("catalog.jsonl", content);
    expect(problems).toEqual([expect.objectContaining({ file: "catalog.jsonl", line: 2, message: expect.stringContaining("price") })]);
    expect(documents.map((document) => document.productId)).toEqual(["T-1"]);
    const csv = readCatalogCsv("accessories.csv", `${header}\nT-3,en,Filter,Accessories,about 199,CNY,2024-01-01,Size: 22 cm,,\n`);
    expect(csv.problems).toEqual([expect.objectContaining({ file: "accessories.csv", line: 2, message: expect.stringContaining("price") })]);
    expect(csv.documents).toEqual([]);
  });

  it("reports an attribute without a value in JSON Lines and CSV", () => {
    const jsonl = readCatalogJsonl("catalog.jsonl", JSON.stringify({ ...good, attributes: { Weight: " " } }));
    expect(jsonl.problems[0]).toMatchObject({ file: "catalog.jsonl", line: 1, message: expect.stringContaining("needs a value") });
    expect(jsonl.documents).toEqual([]);
    const csv = readCatalogCsv("accessories.csv", `${header}\nT-3,en,Filter,Accessories,199,CNY,2024-01-01,Size: 22 cm; Weight:,,\n`);
    expect(csv.problems).toEqual([{ file: "accessories.csv", line: 2, message: 'attribute "Weight" has no value' }]);
    expect(csv.documents).toEqual([]);
  });

  it("keeps a valid product's fields with its document, so its facts are the catalog's own", () => {
    const { documents } = readCatalogJsonl("catalog.jsonl", JSON.stringify({ ...good, price: 1599 }));
    const product = toCatalogProduct(documents[0]!.product!);
    expect(product.price.text).toBe("¥1,599");
    expect(product.facts.find((fact) => fact.label === "Capacity")?.quantities).toEqual([{ value: 1.7, unit: "L", dimension: "volume" }]);
  });
});
