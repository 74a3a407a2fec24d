import { describe, expect, it } from "vitest";
import { draftFromAttributes, keyFact } from "../../src/shopping/catalog-faq.ts";
import { parsePairs } from "../../src/shopping/faq-drafter.ts";
import type { ProductEntry } from "../../src/shopping/shop-product.ts";

const lantern: ProductEntry = {
  sku: "T-LANTERN-9", lang: "en", name: "Firefly Solar Lantern", category: "Outdoor", price: 1599, currency: "CNY", launchDate: "2026-11-20",
  attributes: { Runtime: "48 hours on one charge", "Water resistance": "IPX6", "Recommended room size": "10–20 m²", Colour: "Moss green" },
  description: "A collapsible solar lantern.", url: null,
};
const zhLantern: ProductEntry = { ...lantern, lang: "zh", name: "萤火虫太阳能营地灯", attributes: { 续航: "充满电可用 48 小时", 防水等级: "IPX6", 颜色: "苔绿色" } };

describe("FAQ drafts from a catalog line", () => {
  it("asks about the price and each attribute, naming the product, answered with the catalog's value (en)", () => {
    const pairs = draftFromAttributes(lantern);
    expect(pairs.map((pair) => pair.question)).toEqual([
      "How much does the Firefly Solar Lantern cost?",
      "How long does the battery of the Firefly Solar Lantern last?",
      "Is the Firefly Solar Lantern waterproof?",
      "How big a room is the Firefly Solar Lantern for?",
      "What is the colour of the Firefly Solar Lantern?",
    ]);
    expect(pairs[0]).toEqual({ question: "How much does the Firefly Solar Lantern cost?", answer: "The Firefly Solar Lantern costs ¥1,599.", fact: "¥1,599" });
    expect(pairs[2]!.answer).toBe("Firefly Solar Lantern · Water resistance: IPX6.");
    expect(pairs.map((pair) => pair.fact)).toEqual(["¥1,599", "48 hours", "IPX6", "10–20 m²", "Moss green"]);
  });

  it("drafts in the line's own language (zh)", () => {
    const pairs = draftFromAttributes(zhLantern);
    expect(pairs.map((pair) => pair.question)).toEqual(["萤火虫太阳能营地灯多少钱？", "萤火虫太阳能营地灯的续航有多久？", "萤火虫太阳能营地灯防水吗？", "萤火虫太阳能营地灯的颜色是什么？"]);
    expect(pairs[1]!.answer).toBe("萤火虫太阳能营地灯 · 续航：充满电可用 48 小时。");
    expect(pairs[1]!.fact).toBe("充满电可用 48 小时");
  });

  it("keeps at most eight entries per line", () => {
    const attributes = Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`Part ${index}`, `value ${index}`]));
    expect(draftFromAttributes({ ...lantern, attributes })).toHaveLength(8);
  });

  it("takes a value's first clause, or its first quantity, as the fact to check", () => {
    expect(keyFact("26 cm (cooking surface 21.5 cm)")).toBe("26 cm");
    expect(keyFact("22 dB in sleep mode to 58 dB at maximum")).toBe("22 dB");
    expect(keyFact("25–40 m²")).toBe("25–40 m²");
    expect(keyFact("Gas, induction, electric")).toBe("Gas");
    expect(keyFact("燃气灶、电磁炉")).toBe("燃气灶");
  });
});

describe("the LLM drafter's reply", () => {
  const facts = "Name: Firefly Solar Lantern\nPrice: ¥1,599\nRuntime: 48 hours on one charge";
  it("keeps pairs whose numbers the catalog holds and drops invented ones", () => {
    const reply = 'Here you are:\n```json\n[{"question": "How long does the Firefly run?", "answer": "About 48 hours on one charge."}, {"question": "Is it cheap?", "answer": "It costs ¥999."}, {"question": "Price?", "answer": "¥1,599."}]\n```';
    expect(parsePairs(reply, facts)).toEqual([
      { question: "How long does the Firefly run?", answer: "About 48 hours on one charge.", fact: null },
      { question: "Price?", answer: "¥1,599.", fact: null },
    ]);
  });
  it("gives nothing for a reply that is not the JSON asked for", () => {
    expect(parsePairs("I cannot help with that.", facts)).toEqual([]);
    expect(parsePairs('[{"q": 1}]', facts)).toEqual([]);
    expect(parsePairs("[not json]", facts)).toEqual([]);
  });
});
