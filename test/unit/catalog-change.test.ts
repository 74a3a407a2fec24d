import { describe, expect, it } from "vitest";
import { applyCatalogChange, catalogChange } from "../../src/shopping/catalog-change.ts";
import { groupEntries, type ProductEntry } from "../../src/shopping/shop-product.ts";

const line = (sku: string, lang: "en" | "zh", price = 100): ProductEntry => ({ sku, lang, name: `${sku} ${lang}`, category: "Kitchen", price, currency: "CNY", launchDate: "2026-01-01", attributes: {}, description: "", url: null });

describe("a change between two generations of the catalog", () => {
  it("holds the products whose lines changed and the SKUs gone; applied to the old products it gives the new ones, in catalog order", async () => {
    const lines = Array.from({ length: 10 }, (_, index) => [line(`KF-${index}`, "en"), line(`KF-${index}`, "zh")]).flat();
    const before = groupEntries(lines);
    // The catalog keeps the line objects of documents that did not change.
    const kept = lines.filter((each) => each.sku !== "KF-3" && !(each.sku === "KF-5" && each.lang === "zh"));
    const after = groupEntries([...kept, line("KF-5", "zh", 120), line("KF-10", "en")]);
    const change = (await catalogChange({ generation: 7, products: before }, after))!;
    expect(change.from).toBe(7);
    expect(change.upserts.map((product) => product.sku).sort()).toEqual(["KF-10", "KF-5"]);
    expect(change.removed).toEqual(["KF-3"]);
    expect(applyCatalogChange(before, change)).toEqual(after);
  });

  it("is none when most of the catalog changed: the whole catalog goes instead", async () => {
    const before = groupEntries(Array.from({ length: 10 }, (_, index) => line(`KF-${index}`, "en")));
    const after = groupEntries(Array.from({ length: 10 }, (_, index) => line(`KF-${index}`, "en", 99)));
    expect(await catalogChange({ generation: 1, products: before }, after)).toBeNull();
  });
});
