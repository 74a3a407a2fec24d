import { describe, expect, it } from "vitest";
import { composeAnswer, notFoundText, unsureRestText } from "../../src/answering/compose-answer.ts";
import { planAnswer } from "../../src/answering/plan-answer.ts";
import { toCatalogProduct, type ProductFields } from "../../src/catalog/product.ts";
import { assess } from "../../src/escalation/assess.ts";
import type { Retrieval, RetrievedPassage } from "../../src/retrieval/retriever.ts";

const fields: ProductFields = {
  sku: "T-FILTER", lang: "en", name: "AP40 Filter", category: "Accessories", price: 199, currency: "CNY", launchDate: "2026-09-05",
  attributes: { Layers: "Washable pre-filter, H13 HEPA, 320 g activated carbon", Dimensions: "22 cm diameter × 30 cm" },
  description: "The genuine replacement filter. The HEPA and carbon layers cannot be washed; only the outer pre-filter can be vacuumed.",
};

function passage(key: string, productId: string | null, title: string, text: string, lang: "zh" | "en" = "en"): RetrievedPassage {
  return { label: key.length, key, documentId: key.split("#")[0]!, productId, lang, kind: productId ? "product" : "faq", title, text, url: null, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: 1, denseSimilarity: 0.5, onPage: productId === "T-FILTER" };
}

const page = [
  passage("product:T-FILTER:en#0", "T-FILTER", "AP40 Filter", "AP40 Filter. Category: Accessories. Price: ¥199. Launch date: 2026-09-05"),
  passage("product:T-FILTER:en#1", "T-FILTER", "AP40 Filter · Specifications", "Layers: Washable pre-filter, H13 HEPA, 320 g activated carbon; Dimensions: 22 cm diameter × 30 cm"),
  passage("product:T-FILTER:en#2", "T-FILTER", "AP40 Filter", fields.description),
];
const wok = passage("product:T-WOK:en#2", "T-WOK", "Ceramic Wok", "Hand wash with a soft sponge even though it is dishwasher safe.");
const shipping = passage("faq:shipping:en#0", null, "How much does shipping cost?", "Standard delivery is free on orders of ¥99 or more. Orders under ¥99 pay a flat ¥10.");

function retrieval(passages: RetrievedPassage[]): Retrieval {
  return { query: "", language: "en", productId: "T-FILTER", requestedProductId: "T-FILTER", knowledgeVersion: 1, passages, pagePassages: passages.filter((item) => item.onPage), storePassages: passages.filter((item) => item.productId === null), bestLexicalScore: 1, bestDenseSimilarity: 0.5 };
}

function answer(question: string, passages = [shipping, wok, ...page], product = toCatalogProduct(fields)) {
  const plan = planAnswer({ question, language: "en", retrieval: retrieval(passages), product });
  return { plan, ...composeAnswer(plan, "en") };
}

describe("answer composer", () => {
  it("answers the price from the catalog in one sentence and cites the page", () => {
    const { text, cited, plan } = answer("How much does it cost?");
    expect(plan.source).toBe("fact");
    expect(text).toBe("The AP40 Filter is ¥199.");
    expect(cited.map((item) => item.key)).toEqual(["product:T-FILTER:en#0"]);
  });

  it("says two facts when two are asked for, nothing else", () => {
    const { text } = answer("What is it made of and how big is it?");
    expect(text).toContain("H13 HEPA");
    expect(text).toContain("22 cm diameter × 30 cm");
    expect(text).not.toContain("¥");
  });

  it("quotes the page's own sentence rather than another product's", () => {
    const { text, cited } = answer("Is it dishwasher safe?");
    expect(text).toContain("cannot be washed");
    expect(cited.every((item) => item.productId === "T-FILTER")).toBe(true);
  });

  it("notes whether an amount asked for is given by the answer itself, not by the product's name", () => {
    expect(answer("How big is it?").plan.signals).toMatchObject({ asksQuantity: true, givesQuantity: true });
    expect(answer("Is it dishwasher safe?").plan.signals).toMatchObject({ asksQuantity: false, givesQuantity: false });
    const named = planAnswer({ question: "how many layers are there?", language: "en", retrieval: retrieval(page), product: toCatalogProduct({ ...fields, name: "AP40 Filter 3 L", attributes: { Layers: "Washable pre-filter, HEPA, carbon" } }) });
    expect(named.signals).toMatchObject({ asksQuantity: true, givesQuantity: false });
  });

  it("answers a question asking a kind of amount with the product's fact of that kind, not another it names", () => {
    const lamp = toCatalogProduct({
      ...fields, sku: "T-LAMP", lang: "zh", name: "露营灯", category: "户外",
      attributes: { 亮度: "最高 600 流明", 续航: "600 流明约 5 小时，30 流明最长 80 小时", 质保: "1 年", 重量: "320 克" },
      description: "可充电的露营灯。",
    });
    const ask = (question: string) => planAnswer({ question, language: "zh", retrieval: { ...retrieval(page), language: "zh" }, product: lamp });
    // "最亮" names the brightness; "多久" asks a time, which the runtime holding that brightness gives.
    expect(ask("开到最亮能撑多久").facts.map(({ match }) => match.fact.label)).toEqual(["续航"]);
    // "多少斤" asks a mass in a unit the catalog does not use: the only mass there is.
    expect(ask("这个多少斤").facts.map(({ match }) => match.fact.label)).toEqual(["重量"]);
    // A time no asked kind or amount points to is not any time fact: the warranty does not say how long it stays good.
    expect(ask("开封以后能放多久不坏").facts.map(({ match }) => match.fact.label)).not.toContain("质保");
  });

  it("quotes nothing when asked whether it comes with a thing the page never names and lists no box contents", () => {
    expect(answer("does it come with a storage bag for the winter?").plan.source).toBe("none");
    // A page listing what is in the box answers it: the list says what comes with it.
    const boxed = toCatalogProduct({ ...fields, attributes: { ...fields.attributes, "In the box": "Filter, manual" } });
    expect(answer("does it come with a storage bag for the winter?", undefined, boxed).plan.source).toBe("fact");
  });

  it("answers a shopper's own measurements with the row that holds them, not the page's sizing advice", () => {
    const jacket = toCatalogProduct({ ...fields, name: "Down Jacket", attributes: { Fit: "Regular, unisex" }, description: "A regular fit: choose your usual size, or one size down for a closer fit." });
    const sizing = passage("faq:sizing:en#2", null, "Jacket sizes", "The down jacket (T-FILTER) by chest and height: M 92–98 cm, 167–174 cm; L 98–104 cm, 174–180 cm; XL 104–110 cm, 180–186 cm.");
    const page = [passage("product:T-FILTER:en#2", "T-FILTER", "Down Jacket", "A regular fit: choose your usual size, or one size down for a closer fit.")];
    const { plan } = answer("height 178 and chest 100, which one should i get?", [sizing, ...page], jacket);
    expect(plan.sentences.map((sentence) => sentence.text).join(" ")).toContain("L 98–104 cm");
  });

  it("answers a store-policy question from the policy page", () => {
    const { plan, text } = answer("how much is shipping?");
    expect(plan.source).toBe("store");
    expect(text).toContain("¥99");
  });

  it("measures a policy question's words against the policy entries, folded alike on both sides", () => {
    const free = answer("Is shipping free?");
    expect(free.plan.source).toBe("store");
    expect(free.text).toContain("¥99");
    // "shipping" is the entry's word; "free" is not the filter page's but the entry's.
    expect(free.plan.signals.unknownWords).toBe(0);
    expect(free.plan.signals.answerCoverage).toBe(1);
    const shipped = answer("when is it shipped", [passage("faq:shipping:en#1", null, "When will my order ship?", "Orders paid by 16:00 ship the same day."), ...page]);
    expect(shipped.plan.signals.unknownWords).toBe(0);
    const wrapping = answer("do you offer gift wrapping for orders?");
    expect(wrapping.plan.signals.unknownWords).toBeGreaterThan(0);
  });

  it("keeps a sentence that says nothing alone with the one after it", () => {
    const vat = passage("faq:payment:en#3", null, "Do your prices include tax?", "Yes. All prices are in CNY and include 13% VAT.");
    const { text } = answer("does the price include VAT?", [vat, ...page]);
    expect(text).toBe("Yes. All prices are in CNY and include 13% VAT.");
  });

  it("starts a sentence cut at a semicolon with a capital letter", () => {
    const cost = passage("faq:shipping:en#0", null, "How much does shipping cost?", "Standard delivery is free on orders of ¥99 or more; orders under ¥99 pay a flat ¥10.");
    const { text } = answer("do I have to pay for delivery on this", [cost, ...page]);
    expect(text).toBe("Standard delivery is free on orders of ¥99 or more. Orders under ¥99 pay a flat ¥10.");
  });

  it("marks a question asking for another version or a service around the product", () => {
    expect(answer("Do you sell a bigger version of this filter?").plan.signals.asksOffer).toBe(true);
    expect(answer("can I get it engraved?").plan.signals.asksOffer).toBe(true);
    expect(answer("What is it made of?").plan.signals.asksOffer).toBe(false);
    // A price for a group of buyers, or a service around the product, in both languages.
    expect(answer("any discount for teachers?").plan.signals.asksOffer).toBe(true);
    expect(answer("老师买能便宜点吗").plan.signals.asksOffer).toBe(true);
    expect(answer("could you gift wrap it").plan.signals.asksOffer).toBe(true);
    expect(answer("能送货上门安装吗").plan.signals.asksOffer).toBe(true);
    expect(answer("any discount for first-time buyers?").plan.signals.asksOffer).toBe(false);
    expect(answer("how do I install the filter").plan.signals.asksOffer).toBe(false);
  });

  it("on a page the index does not know, answers no product's facts and only the store's policy entries", () => {
    const unknown = (question: string, passages: RetrievedPassage[]) => {
      const others = passages.map((item) => ({ ...item, onPage: false }));
      const plan = planAnswer({
        question,
        language: "en",
        retrieval: { ...retrieval(others), productId: null, requestedProductId: "T-NOT-INGESTED", pagePassages: [] },
        product: null,
      });
      return { plan, ...composeAnswer(plan, "en") };
    };
    const price = unknown("How much does it cost?", [wok, ...page]);
    expect(price.plan.signals.unknownPage).toBe(true);
    expect(price.plan.source).toBe("none");
    expect(price.cited).toEqual([]);
    expect(price.text).toContain("don't have this product's details");
    const care = unknown("Is it dishwasher safe?", [wok, shipping]);
    expect(care.plan.source).toBe("none");
    expect(care.text).not.toMatch(/dishwasher safe/i);
    const delivery = unknown("how much is shipping", [shipping, wok, ...page]);
    expect(delivery.plan.source).toBe("store");
    expect(delivery.text).toContain("¥99");
  });

  it("with no page, does not answer a question about \"it\" from whichever product a search found", () => {
    const site = (question: string) => {
      const found = [...page, wok].map((item) => ({ ...item, onPage: false }));
      const plan = planAnswer({ question, language: "en", retrieval: { ...retrieval(found), productId: null, requestedProductId: null, pagePassages: [] }, product: null });
      return { plan, ...composeAnswer(plan, "en") };
    };
    const it = site("how much is it?");
    expect(it.plan.signals.noReferent).toBe(true);
    expect(it.plan.source).toBe("none");
    expect(it.text).toContain("which product");
    const named = site("how much is the AP40 filter?");
    expect(named.plan.signals.noReferent).toBe(false);
    expect(named.plan.source).toBe("site");
  });

  it("hands a shopper's own order problem to a person, whatever the evidence or a model's verdict, and says why", () => {
    const tracking = passage("faq:shipping:en#4", null, "How do I track my parcel?", "You will receive an SMS with the courier name and tracking number as soon as your parcel leaves the warehouse.");
    const passages = [tracking, shipping, ...page];
    const product = toCatalogProduct(fields);
    const problem = assess({ question: "where is my order 20261120-5531, it hasn't moved in 4 days", language: "en", retrieval: retrieval(passages), product, threshold: 0.5 });
    expect(problem.plan.signals.orderProblem).toBe(true);
    expect(problem.confidence.score).toBeLessThan(0.5);
    expect(problem.decision).toEqual({ action: "handoff", reason: "low-confidence" });
    expect(problem.decide("ANSWERED", false).decision.action).toBe("handoff");
    expect(notFoundText(problem.plan, "en")).toContain("can't look into your order");
    const howTo = assess({ question: "how do I track my parcel?", language: "en", retrieval: retrieval(passages), product, threshold: 0.5 });
    expect(howTo.plan.signals.orderProblem).toBe(false);
    expect(howTo.decide("ANSWERED", false).decision.action).toBe("answer");
  });

  it("quotes nothing for a yes/no question casting something the page never names in a role", () => {
    const solar = answer("can I use it with a solar panel?");
    expect(solar.plan.signals.unnamedRole).toBe(true);
    expect(solar.plan.source).toBe("none");
    expect(solar.text).toContain("doesn't say");
    const named = answer("can I use it with a HEPA vacuum?");
    expect(named.plan.signals.unnamedRole).toBe(false);
    // What comes in the box is a kind of fact: a page listing the box's contents answers it.
    const boxed = toCatalogProduct({ ...fields, attributes: { ...fields.attributes, "In the box": "Filter, manual" } });
    expect(answer("does it come with a sharpening stone", undefined, boxed).plan.signals.unnamedRole).toBe(false);
    expect(answer("how big is it").plan.signals.unnamedRole).toBe(false);
  });

  it("says plainly when the page does not have it and offers a person", () => {
    const { plan, text, cited } = answer("does it work with Alexa?", [wok, ...page]);
    expect(plan.source === "none" || plan.signals.unknownWords > 0).toBe(true);
    if (plan.source === "none") {
      expect(text).toContain("doesn't say");
      expect(cited).toEqual([]);
    }
  });

  it("answers in Chinese with the catalog's value as written", () => {
    const zh = toCatalogProduct({ ...fields, lang: "zh", name: "AP40 滤芯", attributes: { 尺寸: "直径 22 厘米 × 高 30 厘米" } });
    const plan = planAnswer({ question: "这个多少钱", language: "zh", retrieval: { ...retrieval(page), language: "zh" }, product: zh });
    expect(composeAnswer(plan, "zh").text).toBe("AP40 滤芯售价 ¥199。");
  });

  it("answers the questions of a message it is sure of before handing over the rest, and names the rest", () => {
    const product = toCatalogProduct(fields);
    const passages = [shipping, wok, ...page];
    const mixed = assess({ question: "How much does it cost? And does it work with Alexa?", language: "en", retrieval: retrieval(passages), product, threshold: 0.5 });
    expect(mixed.decision).toEqual({ action: "handoff", reason: "low-confidence" });
    expect(mixed.partial).not.toBeNull();
    expect(composeAnswer(mixed.partial!.plan, "en").text).toBe("The AP40 Filter is ¥199.");
    expect(mixed.partial!.confidence.score).toBeGreaterThanOrEqual(0.5);
    expect(unsureRestText(mixed.partial!.unanswered, "en")).toBe(`I'm not sure about "does it work with Alexa?", so I'll pass it to a colleague who can check.`);
    // Nothing to say first when no question is sure, nor when every one is answered.
    expect(assess({ question: "does it work with Alexa?", language: "en", retrieval: retrieval(passages), product, threshold: 0.5 }).partial).toBeNull();
    expect(assess({ question: "How much does it cost? And how big is it?", language: "en", retrieval: retrieval(passages), product, threshold: 0.5 }).partial).toBeNull();
    // An order problem in any part makes the whole a person's, with nothing answered ahead.
    expect(assess({ question: "How much does it cost? my order 20261120-5531 hasn't moved in 4 days", language: "en", retrieval: retrieval(passages), product, threshold: 0.5 }).partial).toBeNull();
  });

  it("quotes the questions left to a person without their joining words, cut when long", () => {
    expect(unsureRestText(["另外能连蓝牙吗？"], "zh")).toBe("关于「能连蓝牙吗？」我不太确定，我帮您转给同事确认。");
    const long = unsureRestText([`and ${"would it suit a very long question ".repeat(4)}?`], "en");
    expect(long).toMatch(/^I'm not sure about "would it suit a very long question would it suit[^"]*…"/);
    expect(unsureRestText(["能连蓝牙吗？", "保修几年？"], "zh")).toBe("关于「能连蓝牙吗？」和「保修几年？」我不太确定，我帮您转给同事确认。");
  });
});
