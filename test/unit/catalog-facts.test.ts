import { describe, expect, it } from "vitest";
import { findConcepts, foldWord, isOfferRequest, isPersonalCase, isStoreTopic, matchFacts, selectFacts, vocabularyTerms } from "../../src/catalog/match-facts.ts";
import { toCatalogProduct, type ProductFields } from "../../src/catalog/product.ts";
import { parseQuantities } from "../../src/catalog/quantities.ts";

const kettle: ProductFields = {
  sku: "T-KETTLE", lang: "en", name: "Steel Kettle 1.7 L", category: "Kitchen", price: 199, currency: "CNY", launchDate: "2024-01-01",
  attributes: { Capacity: "1.7 L", Power: "1,800 W, 220 V ~ 50 Hz", Safety: "Automatic shut-off, boil-dry protection", Dimensions: "23 × 16 × 25 cm", Colours: "Brushed Steel, Cream", Warranty: "1 year", "Cord length": "75 cm" },
  description: "A kettle.",
};
const grinder: ProductFields = {
  sku: "T-GRIND", lang: "zh", name: "电动磨豆机", category: "厨房电器", price: 599, currency: "CNY", launchDate: "2024-01-01",
  attributes: { 研磨档位: "48 档，从意式到法压", 豆仓容量: "250 克", 充电时间: "2 小时", 重量: "2.4 千克", 噪音: "低于 60 分贝", 质保: "1 年" },
  description: "",
};
const duvet: ProductFields = {
  sku: "T-DUVET", lang: "en", name: "Down Duvet", category: "Bedding", price: 1599, currency: "CNY", launchDate: "2024-01-01",
  attributes: { "Sizes and prices": "200 × 230 cm ¥1,599; 220 × 240 cm ¥1,899", Filling: "90% goose down" },
  description: "",
};

function best(question: string, fields: ProductFields): string[] {
  return selectFacts(matchFacts(question, toCatalogProduct(fields))).map((match) => match.fact.label);
}

describe("phrasing → catalog fact", () => {
  it("finds English facts from the way shoppers ask, not the attribute's words", () => {
    expect(best("How much is it?", kettle)[0]).toBe("Price");
    expect(best("will it fit in my cupboard?", kettle)[0]).toBe("Dimensions");
    expect(best("how long is the cable", kettle)[0]).toBe("Cord length");
    expect(best("what colors can I get", kettle)[0]).toBe("Colours");
    expect(best("what happens if it boils dry", kettle)[0]).toBe("Safety");
    expect(best("how long is the guarantee", kettle)[0]).toBe("Warranty");
  });

  it("finds Chinese facts from shoppers' phrasings", () => {
    expect(best("有几个档位", grinder)[0]).toBe("研磨档位");
    expect(best("多久能充满", grinder)[0]).toBe("充电时间");
    expect(best("这个多少钱", grinder)[0]).toBe("价格");
    expect(best("吵不吵", grinder)[0]).toBe("噪音");
    expect(best("多重", grinder)[0]).toBe("重量");
  });

  it("prefers the row a question's numbers point to, and keeps a second fact asked for", () => {
    expect(best("how much is the 220 x 240 one", duvet)).toContain("Sizes and prices");
    expect(best("what is it made of and how much does it cost", duvet).sort()).toEqual(["Filling", "Price"].sort());
  });

  it("reads a phrasing inside a longer one as part of it", () => {
    const vacuum: ProductFields = {
      ...kettle, sku: "T-VAC", name: "Stick Vacuum", attributes: { Battery: "25.2 V, 2,600 mAh Li-ion, removable", Runtime: "Up to 50 min in eco mode", Weight: "2.6 kg" },
    };
    expect(findConcepts("how long does the battery last").map((hit) => hit.concept.id)).toEqual(["runtime"]);
    expect(best("how long does the battery last", vacuum)[0]).toBe("Runtime");
    expect(best("can I swap the battery", vacuum)[0]).toBe("Battery");
  });

  it("does not read a product's own name as a kind of fact (a charger is not a question about charging)", () => {
    const charger: ProductFields = { ...grinder, sku: "T-CHG", name: "65 瓦充电器", attributes: { 输入: "100–240 伏", 快充协议: "USB PD 3.0", 质保: "1 年" } };
    expect(best("这个充电器什么价", charger)[0]).toBe("价格");
    expect(best("充电器支持PD快充吗", charger)[0]).toBe("快充协议");
    const chair: ProductFields = { ...kettle, sku: "T-CHAIR", attributes: { "Maximum load": "120 kg", Weight: "1.1 kg" } };
    expect(best("what's the max weight for this chair", chair)[0]).toBe("Maximum load");
  });

  it("knows questions for another version, a service around the product, or the shopper's own order", () => {
    for (const question of ["do you have a 30 cm one", "有 30 厘米的吗", "能以旧换新吗", "can I trade in my old one", "is there a 4-person version"]) expect(isOfferRequest(question)).toBe(true);
    for (const question of ["有 2 米床的尺寸吗", "what sizes does it come in", "is it 30 cm wide"]) expect(isOfferRequest(question)).toBe(false);
    expect(isPersonalCase("I ordered two but only got one")).toBe(true);
    expect(isPersonalCase("how many do I get in a pack")).toBe(false);
  });

  it("matches nothing for a question about something the product does not list", () => {
    expect(best("does it connect to an app on my phone", kettle)).toEqual([]);
    expect(best("能用手机APP控制吗", grinder)).toEqual([]);
  });

  it("knows the kinds of fact in questions and the quantities in values", () => {
    expect(findConcepts("how heavy is it").map((hit) => hit.concept.id)).toContain("weight");
    expect(parseQuantities("25–40 平方米, 22 dB, ¥1,599, 2.6 kg").map((q) => `${q.value} ${q.dimension}`)).toEqual(["25 area", "40 area", "22 sound", "1599 money", "2.6 mass"]);
  });

  it("folds English inflection the same way for a question and the text it is looked up in", () => {
    const folded = (words: string[]) => new Set(words.map(foldWord));
    expect(folded(["shipping", "shipped", "ships", "ship"]).size).toBe(1);
    expect(folded(["charging", "charges", "charged", "charge"]).size).toBe(1);
    expect(folded(["returns", "returned", "return"]).size).toBe(1);
    expect(foldWord("glass")).toBe("glass");
    expect(foldWord("speed")).toBe("speed");
    expect(vocabularyTerms("Shipping is free 包邮")).toEqual(expect.arrayContaining(["ship", "包邮"]));
  });

  it("tells store-policy questions from product questions, zh and en", () => {
    for (const question of ["Is shipping free?", "can you send it to Hong Kong?", "does the price include tax", "can I still cancel the order", "能发到香港吗", "标价含税吗", "客服几点下班"]) expect(isStoreTopic(question)).toBe(true);
    for (const question of ["How much does it cost?", "is it dishwasher safe", "这个多少钱", "有几个档位"]) expect(isStoreTopic(question)).toBe(false);
  });
});
