import { describe, expect, it } from "vitest";
import { NameIndex } from "../../src/shopping/name-index.ts";
import { groupEntries, type ProductEntry, type ShopProduct } from "../../src/shopping/shop-product.ts";

function entry(sku: string, lang: "en" | "zh", name: string, category: string): ProductEntry {
  return { sku, lang, name, category, price: 100, currency: "CNY", launchDate: "2026-01-01", attributes: {}, description: "", url: null };
}

const CATALOG: ShopProduct[] = groupEntries([
  entry("KF-KIT-0101", "en", "Pinebrook Cast Iron Skillet 26 cm", "Kitchen & Cookware"),
  entry("KF-KIT-0101", "zh", "松溪铸铁煎锅 26 厘米", "厨房锅具"),
  entry("KF-KIT-0102", "en", "Pinebrook Electric Kettle 1.7 L", "Kitchen Appliances"),
  entry("KF-KIT-0102", "zh", "松溪电水壶 1.7 升", "厨房电器"),
  entry("KF-KIT-0103", "en", "Pinebrook Gooseneck Kettle", "Kitchen Appliances"),
  entry("KF-AIR-0201", "en", "Pinebrook AP40 Air Purifier", "Home Air"),
  entry("KF-AIR-0202", "en", "Pinebrook AP40 Replacement Filter", "Home Air"),
  entry("KF-AIR-02", "en", "Pinebrook Air Sampler", "Home Air"),
  entry("KF-AUD-0301", "en", "SoundNest E1 Earbuds", "Audio"),
  entry("KF-AUD-0302", "zh", "声巢 E2 蓝牙音箱", "音频"),
]);

/** The definition match() must keep: every product's own name terms, the question's weight each covers. */
function matchByScan(index: NameIndex, products: readonly ShopProduct[], text: string) {
  const naming = index.namingTerms(text);
  const total = [...naming.values()].reduce((sum, weight) => sum + weight, 0);
  if (total === 0) return [];
  const own = new NameIndex(products);
  return products
    .map((product) => {
      let covered = 0;
      for (const [term, weight] of naming) if (own.namingTerms(`${product.entries.en?.name ?? ""} ${product.entries.en?.category ?? ""} ${product.entries.zh?.name ?? ""} ${product.entries.zh?.category ?? ""}`).has(term)) covered += weight;
      return { product, score: covered / total };
    })
    .filter((match) => match.score > 0)
    .sort((a, b) => b.score - a.score || a.product.sku.localeCompare(b.product.sku));
}

const QUESTIONS = ["electric kettle", "kettle under 300", "推荐一款电水壶", "AP40 filter", "air purifier for a bedroom", "蓝牙音箱", "E1 earbuds battery", "what is your return policy?", ""];

describe("the product name index", () => {
  it("finds the same products with the same scores as a pass over every product, best first", () => {
    const index = new NameIndex(CATALOG);
    for (const question of QUESTIONS) {
      const found = index.match(question).map((match) => [match.product.sku, match.score]);
      expect(found, question).toEqual(matchByScan(index, CATALOG, question).map((match) => [match.product.sku, match.score]));
    }
    expect(index.match("electric kettle")[0]!.product.sku).toBe("KF-KIT-0102");
  });

  it("reads a SKU written in the text, whatever its case; of several, the first in catalog order", () => {
    const index = new NameIndex(CATALOG);
    expect(index.skuIn("Does kf-kit-0102 fit?")?.sku).toBe("KF-KIT-0102");
    // "KF-AIR-02" is also inside "KF-AIR-0202": both are written there, the first in catalog order wins, as a search for each SKU in turn finds.
    expect(index.skuIn("filter KF-AIR-0202 please")?.sku).toBe(CATALOG.find((product) => "kf-air-0202".includes(product.sku.toLowerCase()))!.sku);
    expect(index.skuIn("KF-KIT-0103 and KF-KIT-0101")?.sku).toBe("KF-KIT-0101");
    expect(index.skuIn("no code here")).toBeNull();
  });

  it("built from the index it replaces, gives the same answers, and changed names count as changed", async () => {
    const first = new NameIndex(CATALOG);
    const renamed = CATALOG.map((product) =>
      product.sku === "KF-KIT-0103" ? { ...product, entries: { en: entry("KF-KIT-0103", "en", "Pinebrook Pour-over Teapot", "Kitchen Appliances"), zh: null } } : product,
    );
    const fresh = new NameIndex(renamed);
    for (const next of [new NameIndex(renamed, first), await NameIndex.build(renamed, first)]) {
      for (const question of [...QUESTIONS, "teapot", "gooseneck"]) {
        expect(next.match(question).map((match) => [match.product.sku, match.score]), question).toEqual(fresh.match(question).map((match) => [match.product.sku, match.score]));
      }
      expect(next.match("gooseneck")).toEqual([]);
      expect(next.match("teapot")[0]!.product.sku).toBe("KF-KIT-0103");
    }
  });
});
