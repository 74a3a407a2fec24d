import { describe, expect, it } from "vitest";
import { composeAnswer } from "../../src/answering/compose-answer.ts";
import { planAnswer } from "../../src/answering/plan-answer.ts";
import { findConcepts, isOfferRequest, isOrderProblem, offerCoverage } from "../../src/catalog/match-facts.ts";
import { roleObjects } from "../../src/catalog/question-frames.ts";
import { toCatalogProduct, type ProductFields } from "../../src/catalog/product.ts";
import { inPageWords, oneEditApart } from "../../src/catalog/synonyms.ts";
import type { Retrieval, RetrievedPassage } from "../../src/retrieval/retriever.ts";

function passage(key: string, productId: string | null, title: string, text: string, lang: "zh" | "en" = "en"): RetrievedPassage {
  return { label: key.length, key, documentId: key.split("#")[0]!, productId, lang, kind: productId ? "product" : "faq", title, text, url: null, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: 1, denseSimilarity: 0.5, onPage: productId !== null };
}

function retrieval(productId: string, passages: RetrievedPassage[], language: "zh" | "en" = "en"): Retrieval {
  return { query: "", language, productId, requestedProductId: productId, knowledgeVersion: 1, passages, pagePassages: passages.filter((item) => item.onPage), storePassages: passages.filter((item) => item.productId === null), bestLexicalScore: 1, bestDenseSimilarity: 0.5 };
}

describe("a question in the page's words", () => {
  const lent: [question: string, page: string, inPageWords: string][] = [
    ["宝宝能盖这个毯子吗", "12 个月以下婴儿请在大人看护下使用。", "婴儿能盖这个毯子吗"],
    ["家里养猫 有专门的刷头吗", "电动除螨/宠物小刷", "家里养宠物 有专门的刷头吗"],
    ["does it have a mic for calls", "The built-in microphone works for hands-free calls.", "does it have a microphone for calls"],
    // Nuisances and conditions in the shopper's own words.
    ["is this one scratchy?", "Fine merino feels softer and less itchy than ordinary wool.", "is this one itchy?"],
    ["do bugs come to the light", "Warm light draws fewer insects.", "do insects come to the light"],
    // The page's word in the question's script, when the page has both languages' words for it.
    ["能装气泡水吗", "Do not use it for carbonated drinks. 请不要装碳酸饮料。", "能装碳酸饮料吗"],
    ["can i put sparkling water in it", "Do not use it for carbonated drinks. 请不要装碳酸饮料。", "can i put carbonated drinks in it"],
    ["锅底有白印子", "锅面出现彩虹色或白色水渍属于正常现象。", "锅底有白色水渍"],
    ["does it come with a groundsheet", "A footprint is not included.", "does it come with a footprint"],
    ["能在国外用吗", "输入电压 100–240 伏，出国也能用。", "能在出国用吗"],
    ["直接接水龙头的水行吗", "水箱加入常温自来水或纯净水。", "直接接自来水行吗"],
  ];
  const left: [question: string, page: string][] = [
    ["宝宝能用吗", "宝宝和婴儿都能用"],
    ["宝宝能用吗", "适合成人使用"],
    ["is the catalog price final", "Not for pets."],
    // Cats and dogs are both pets, never each other.
    ["家里养狗能用吗", "专为猫咪设计的梳子"],
    ["is it ok for dogs", "Made for cats."],
  ];

  it("lends the page's word of a synonym class to a question using another", () => {
    for (const [question, page, expected] of lent) expect(inPageWords(question, page), question).toBe(expected);
    expect(inPageWords("is it ok for dogs", "Safe for pets.")).toBe("is it ok for pets");
  });

  it("leaves words the page uses, classes the page has no member of, and parts of other words", () => {
    for (const [question, page] of left) expect(inPageWords(question, page), question).toBe(question);
  });
});

describe("misspelt words", () => {
  it("spells a long word the page never uses as the page does, one edit away", () => {
    expect(inPageWords("can the whole thing go in the dishwaher?", "Dishwasher: lid only")).toBe("can the whole thing go in the dishwasher?");
    expect(inPageWords("is it dishwahser safe", "Dishwasher safe")).toBe("is it dishwasher safe");
  });

  it("leaves short words and words the page uses in another inflection", () => {
    expect(inPageWords("wil it charge my phone", "a Qi charger for charging a phone")).toBe("wil it charge my phone");
    expect(inPageWords("is the cover washable", "Covers are washable")).toBe("is the cover washable");
  });

  it("counts one insertion, deletion, substitution or swap as one edit", () => {
    expect(oneEditApart("dishwaher", "dishwasher")).toBe(true);
    expect(oneEditApart("dishwahser", "dishwasher")).toBe(true);
    expect(oneEditApart("dishwasjer", "dishwasher")).toBe(true);
    expect(oneEditApart("dishwsher", "dishwasher")).toBe(true);
    expect(oneEditApart("dishwashers", "dishwasher")).toBe(true);
    expect(oneEditApart("dishwasher", "dishwasher")).toBe(false);
    expect(oneEditApart("diswaher", "dishwasher")).toBe(false);
  });
});

describe("requests the page does not answer", () => {
  it("takes a part bought on its own as a request, and a charging way the page never names as a role", () => {
    expect(isOfferRequest("can I buy just the lids separately as spares?")).toBe(true);
    expect(isOfferRequest("盖子能单独买吗")).toBe(true);
    expect(isOfferRequest("can I buy it now")).toBe(false);
    expect(roleObjects("can I lay my phone on it to charge wirelessly?")).toContain("wireless");
  });

  it("reads what a variant request names, and only words that can name a thing", () => {
    expect(isOfferRequest("do u have it in grey")).toBe(true);
    expect(offerCoverage("do u have it in grey", "Colours: Oatmeal, Moss, Rust")).toBe(0);
    expect(offerCoverage("does it come in a 5 litre version?", "Rice Cooker 3 L · Capacity: 3 L, serves 2–6")).toBe(0);
    expect(offerCoverage("does it come in other colours", "Colours: White, Black")).toBe(1);
    // "xl" is a size value the sizes answer, as subject words have it.
    expect(offerCoverage("do you have them in size XL", "Sizes: One pair each of S, M and L")).toBe(1);
  });

  it("takes a fault of the shopper's own item told without order words as an order problem", () => {
    expect(isOrderProblem("my power bank puffed up after a week and I want my money back")).toBe(true);
    expect(isOrderProblem("我买的充电宝鼓包了")).toBe(true);
    expect(isOrderProblem("when do I get my money back after a return")).toBe(false);
    expect(isOrderProblem("what if it swells after a few months?")).toBe(false);
  });

  it("casts what a product is asked to work in or with in a role", () => {
    expect(roleObjects("will this work in my espresso machine?")).toContain("espresso machine");
    expect(roleObjects("how does it work")).toEqual([]);
  });
});

describe("lexicon phrasings", () => {
  it("knows the brightest setting and which hand a tool suits", () => {
    expect(findConcepts("最亮能到多少").map((hit) => hit.concept.id)).toContain("light");
    expect(findConcepts("what's the brightest it gets").map((hit) => hit.concept.id)).toContain("light");
    expect(findConcepts("左撇子能用吗").map((hit) => hit.concept.id)).toContain("handedness");
    expect(findConcepts("ok for a left-handed cook?").map((hit) => hit.concept.id)).toContain("handedness");
  });
});

describe("answer plans", () => {
  const shelf: ProductFields = {
    sku: "T-SHELF", lang: "en", name: "Oak Wall Shelf", category: "Home", price: 299, currency: "CNY", launchDate: "2025-03-03",
    attributes: { Mounting: "Hidden steel bracket; screws and wall plugs for brick and concrete included", "Maximum load": "15 kg" },
    description: "The bracket is screwed to the wall first. Plasterboard, hollow-block and tiled walls need special anchors that are not included.",
  };
  const shelfPage = [
    passage("product:T-SHELF:en#1", "T-SHELF", "Oak Wall Shelf · Specifications", "Mounting: Hidden steel bracket; screws and wall plugs for brick and concrete included; Maximum load: 15 kg"),
    passage("product:T-SHELF:en#2", "T-SHELF", "Oak Wall Shelf", shelf.description),
  ];

  it("adds the page sentence naming what only the description speaks of to the fact", () => {
    const plan = planAnswer({ question: "our flat has plasterboard walls, is that a problem for mounting it?", language: "en", retrieval: retrieval("T-SHELF", shelfPage), product: toCatalogProduct(shelf) });
    const { text, cited } = composeAnswer(plan, "en");
    expect(plan.source).toBe("fact");
    expect(text).toContain("Mounting: Hidden steel bracket");
    expect(text).toContain("need special anchors");
    expect(cited.map((item) => item.key)).toContain("product:T-SHELF:en#2");
  });

  it("answers a fact alone when the facts name everything asked", () => {
    const plan = planAnswer({ question: "what is the maximum load of the shelf?", language: "en", retrieval: retrieval("T-SHELF", shelfPage), product: toCatalogProduct(shelf) });
    expect(plan.source).toBe("fact");
    expect(plan.sentences).toEqual([]);
  });

  it("keeps the condition after a policy entry's bare yes", () => {
    const huabei = passage("faq:payment:zh#1", null, "可以分期付款吗？", "可以使用花呗分期。订单满 ¥600 可享 3 期或 6 期免息；也可以选 12 期，按花呗标准费率收取手续费。", "zh");
    const blanket: ProductFields = { sku: "T-THROW", lang: "zh", name: "羊毛毯", category: "家纺", price: 429, currency: "CNY", launchDate: "2026-10-15", attributes: { 尺寸: "130 × 170 厘米" }, description: "柔软的羊毛毯。" };
    const plan = planAnswer({ question: "这个能用花呗分期吗", language: "zh", retrieval: retrieval("T-THROW", [huabei, passage("product:T-THROW:zh#2", "T-THROW", "羊毛毯", blanket.description, "zh")], "zh"), product: toCatalogProduct(blanket) });
    expect(plan.source).toBe("store");
    expect(composeAnswer(plan, "zh").text).toBe("可以使用花呗分期。订单满 ¥600 可享 3 期或 6 期免息。");
  });

  it("answers what an accessory made only for one product works with, and hands off what a non-exclusive one never names", () => {
    const filter: ProductFields = { sku: "T-FILTER", lang: "en", name: "AP40 Filter", category: "Accessories", price: 199, currency: "CNY", launchDate: "2026-09-05", attributes: { "Compatible with": "AP40 air purifier only" }, description: "It does not fit other brands." };
    const filterPage = [passage("product:T-FILTER:en#2", "T-FILTER", "AP40 Filter", filter.description)];
    const exclusive = planAnswer({ question: "will this work in my Xiaomi purifier?", language: "en", retrieval: retrieval("T-FILTER", filterPage), product: toCatalogProduct(filter) });
    expect(exclusive.signals.unnamedRole).toBe(false);
    const descaler: ProductFields = { ...filter, sku: "T-DESCALER", name: "Kettle Descaler", attributes: { "Compatible with": "Stainless steel and glass kettles (not for aluminium)" }, description: "Removes limescale from kettles." };
    const open = planAnswer({ question: "will this work in my espresso machine?", language: "en", retrieval: retrieval("T-DESCALER", [passage("product:T-DESCALER:en#2", "T-DESCALER", "Kettle Descaler", descaler.description)]), product: toCatalogProduct(descaler) });
    expect(open.signals.unnamedRole).toBe(true);
    expect(open.source).toBe("none");
  });
});
