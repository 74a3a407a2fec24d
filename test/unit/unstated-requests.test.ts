import { describe, expect, it } from "vitest";
import { planAnswer } from "../../src/answering/plan-answer.ts";
import { assess } from "../../src/escalation/assess.ts";
import { findConcepts, isOrderProblem, isPrediction, matchFacts, offerCoverage, selectFacts } from "../../src/catalog/match-facts.ts";
import { roleObjects } from "../../src/catalog/question-frames.ts";
import { toCatalogProduct, type ProductFields } from "../../src/catalog/product.ts";
import { DEFAULT_GATE, GATE_FEATURES, gateProbability, type GateFeatures } from "../../src/escalation/gate.ts";
import type { Retrieval, RetrievedPassage } from "../../src/retrieval/retriever.ts";

const grinder: ProductFields = {
  sku: "T-GRIND", lang: "zh", name: "电动磨豆机", category: "厨房电器", price: 599, currency: "CNY", launchDate: "2024-01-01",
  attributes: { 研磨档位: "48 档，从意式到法压", 豆仓容量: "250 克", 包装清单: "磨豆机、清洁刷、接粉杯", 质保: "1 年" },
  description: "定时旋钮可设定 1–40 秒研磨时间。",
};
const earbuds: ProductFields = {
  sku: "T-BUDS", lang: "en", name: "E1 Earbuds", category: "Audio", price: 399, currency: "CNY", launchDate: "2024-01-01",
  attributes: { Battery: "7 hours earbuds + 21 hours from the case = 28 hours total", Charging: "USB-C only (no wireless charging)", Colours: "White, Black" },
  description: "Entry-level earbuds with ENC call noise reduction.",
};
const pan: ProductFields = {
  sku: "T-PAN", lang: "zh", name: "不锈钢煎锅", category: "厨具", price: 429, currency: "CNY", launchDate: "2024-01-01",
  attributes: { 结构: "三层复合", 涂层: "无涂层", 重量: "1.35 千克" },
  description: "",
};
const box: ProductFields = {
  sku: "T-BOX", lang: "en", name: "Glass Food Storage Set", category: "Kitchen", price: 159, currency: "CNY", launchDate: "2024-01-01",
  attributes: { "Container material": "Borosilicate glass", Leakproof: "Yes, when all four clips are closed" },
  description: "",
};

function best(question: string, fields: ProductFields): string | undefined {
  return selectFacts(matchFacts(question, toCatalogProduct(fields)))[0]?.fact.label;
}

function passage(key: string, productId: string | null, title: string, text: string, lang: "zh" | "en"): RetrievedPassage {
  return { label: key.length, key, documentId: key.split("#")[0]!, productId, lang, kind: productId ? "product" : "faq", title, text, url: null, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: 1, denseSimilarity: 0.5, onPage: productId !== null };
}

function plan(question: string, fields: ProductFields, store: RetrievedPassage[] = []) {
  const page = [passage(`product:${fields.sku}:${fields.lang}#0`, fields.sku, fields.name, fields.description || fields.name, fields.lang)];
  const passages = [...page, ...store];
  const retrieval: Retrieval = {
    query: question, language: fields.lang, productId: fields.sku, requestedProductId: fields.sku, knowledgeVersion: 1, passages,
    pagePassages: page, storePassages: store, bestLexicalScore: 1, bestDenseSimilarity: 0.5,
  };
  return planAnswer({ question, language: fields.lang, retrieval, product: toCatalogProduct(fields) });
}

/** The whole decision, gate included, for a question on a page holding only the product's description. */
function assessed(question: string, fields: ProductFields) {
  const page = [passage(`product:${fields.sku}:${fields.lang}#0`, fields.sku, fields.name, fields.description || fields.name, fields.lang)];
  const retrieval: Retrieval = {
    query: question, language: fields.lang, productId: fields.sku, requestedProductId: fields.sku, knowledgeVersion: 1, passages: page,
    pagePassages: page, storePassages: [], bestLexicalScore: 1, bestDenseSimilarity: 0.5,
  };
  return assess({ question, language: fields.lang, retrieval, product: toCatalogProduct(fields), threshold: 0.5 });
}

describe("a feature the page never names", () => {
  it("finds the feature a yes/no question asks the product to have", () => {
    expect(roleObjects("磨豆机带称重功能吗")).toEqual(["称重"]);
    expect(roleObjects("这个power bank支持无线充吗")).toEqual(["无线充"]);
    expect(roleObjects("does it have a transparency mode so i can hear announcements")).toEqual(["transparency mode"]);
    expect(roleObjects("Does it have a window to see the food")).toEqual(["window"]);
    expect(roleObjects("is there a red one?")).toEqual(["red one"]);
    expect(roleObjects("is this pillow ok for my 6 year old")).toEqual(["6 year old"]);
    expect(roleObjects("has the speaker got an fm radio built in?")).toEqual(["fm radio"]);
    expect(roleObjects("can I buy a replacement strap for this watch")).toEqual(["replacement strap"]);
    expect(roleObjects("can i buy it in store")).toEqual([]);
  });

  it("leaves a feature asked in the words of a kind of fact or a policy to that fact or policy", () => {
    expect(roleObjects("有保修吗")).toEqual([]);
    expect(roleObjects("does it have a warranty")).toEqual([]);
    expect(roleObjects("积分有有效期吗")).toEqual([]);
    expect(roleObjects("保养套装里有什么")).toEqual([]);
    expect(roleObjects("what does it have")).toEqual([]);
    // What is left beside a phrasing of a kind of fact is the feature: 定时 is the timer's.
    expect(roleObjects("有定时关灯功能吗")).toEqual(["关灯"]);
  });

  it("takes a colour word for a colour only when nothing but 'one', 'colour'… follows it", () => {
    expect(findConcepts("is there a red one?").map((hit) => hit.concept.id)).toContain("colour");
    expect(findConcepts("do you have it in pink").map((hit) => hit.concept.id)).toContain("colour");
    expect(findConcepts("is it ok for green tea").map((hit) => hit.concept.id)).not.toContain("colour");
  });

  it("quotes nothing when the page never names the feature, and answers when it does", () => {
    expect(plan("磨豆机带称重功能吗", grinder).source).toBe("none");
    expect(plan("does it have a transparency mode", earbuds).source).toBe("none");
    expect(plan("is there a red one?", earbuds).source).toBe("none");
    const white = plan("is there a white one?", earbuds);
    expect(white.signals.unnamedRole).toBe(false);
    expect(white.facts[0]?.match.fact.label).toBe("Colours");
  });

  it("hands off a yes/no question whose page sentence holds none of what it asks about, and answers one whose sentence does", () => {
    const diffuser: ProductFields = {
      sku: "T-DIFF", lang: "zh", name: "超声波香薰机", category: "家居", price: 169, currency: "CNY", launchDate: "2024-01-01",
      attributes: { 水箱容量: "300 毫升" },
      description: "安静的超声波香薰机，适合卧室和书房。",
    };
    const oil = assessed("买香薰机送精油吗", diffuser);
    expect(oil.plan.signals.answerCoverage).toBe(0);
    expect(oil.confidence.score).toBeLessThan(0.5);
    const bedroom = assessed("适合卧室用吗", diffuser);
    expect(bedroom.plan.source).toBe("page-text");
    expect(bedroom.plan.signals.answerCoverage).toBeGreaterThan(0);
  });

  it("looks a policy question's payment method up in the policy entries found", () => {
    const payment = passage("faq:payment:zh#0", null, "支持哪些支付方式？", "支持支付宝、微信支付、银联借记卡和信用卡。不支持货到付款。", "zh");
    expect(plan("可以用京东白条付款吗", grinder, [payment]).signals.unnamedRole).toBe(true);
    expect(plan("可以用支付宝付款吗", grinder, [payment]).signals.unnamedRole).toBe(false);
  });
});

describe("shopper phrasings of this round", () => {
  it("maps runtime, coating, leaks, household size and comparisons to their facts", () => {
    expect(best("how long do these last on one charge before i have to put them back in the case", earbuds)).toBe("Battery");
    expect(best("这锅有涂层吗 怕涂层吃进肚子", pan)).toBe("涂层");
    expect(best("will soup leak in my bag", box)).toBe("Leakproof");
    expect(findConcepts("我家五口人，这个够用吗").map((hit) => hit.concept.id)).toContain("capacity");
    expect(findConcepts("一壶能烧多少水").map((hit) => hit.concept.id)).toContain("capacity");
    expect(findConcepts("要是用坏了保几年").map((hit) => hit.concept.id)).toContain("warranty");
    expect(findConcepts("保温能保多久").map((hit) => hit.concept.id)).not.toContain("warranty");
    expect(findConcepts("my cabinets are 40cm above the counter, will it fit underneath?").map((hit) => hit.concept.id)).toContain("size");
    expect(findConcepts("my current kettle is 1.5 litres, is this one bigger?").map((hit) => hit.concept.id)).toEqual(expect.arrayContaining(["capacity", "size"]));
    expect(findConcepts("whats inside the pillow").map((hit) => hit.concept.id)).toContain("material");
  });

  it("recognises an order problem told without 'my order'", () => {
    expect(isOrderProblem("上周买的四件套洗了一次就起球了怎么办")).toBe(true);
    expect(isOrderProblem("显示已签收但我根本没拿到东西")).toBe(true);
    expect(isOrderProblem("app says delivered but theres nothing at my door")).toBe(true);
    expect(isOrderProblem("如果起球了怎么办")).toBe(false);
  });

  it("recognises a request to predict or judge, not a question about the next sale", () => {
    expect(isPrediction("will the price drop next month? dont want to buy now and regret")).toBe(true);
    expect(isPrediction("下个月会不会降价 现在买亏不亏")).toBe(true);
    expect(isPrediction("is it worth it")).toBe(true);
    expect(isPrediction("When is your next sale?")).toBe(false);
    expect(isPrediction("什么时候有活动")).toBe(false);
  });

  it("takes whether it suits a health condition or a pregnancy as a judgement for a doctor, not the page", () => {
    expect(isPrediction("my wife is pregnant, is it safe in the bedroom")).toBe(true);
    expect(isPrediction("would noise cancelling help my tinnitus")).toBe(true);
    expect(isPrediction("孕妇能用吗")).toBe(true);
    expect(isPrediction("我对羊毛过敏，这个能盖吗")).toBe(true);
    expect(isPrediction("is it scratchy? i have pretty sensitive skin")).toBe(false);
    expect(isPrediction("is the bottle BPA free")).toBe(false);
  });

  it("counts an offer request answered only when the answer names what was asked for", () => {
    expect(offerCoverage("do you price match if tmall has it cheaper", "If the price of an item you bought drops within 15 days, we refund the difference.")).toBeLessThan(1);
    expect(offerCoverage("do you sell it in other colours", "Colours: White, Black")).toBe(1);
    expect(offerCoverage("is there a student discount", "Students get 10% off with a student discount code.")).toBe(1);
  });
});

describe("gate", () => {
  it("never lets a request to predict reach the threshold", () => {
    const zero = Object.fromEntries(GATE_FEATURES.map((name) => [name, 0])) as GateFeatures;
    const strong = { ...zero, bias: 1, onPage: 1, storeTopic: 1, storeAnswer: 1, sentenceScore: 1.2, policyMatch: 1, answerCoverage: 1, focusCoverage: 1, coverage: 1, similarity: 0.9, agreement: 1 };
    expect(gateProbability(strong, DEFAULT_GATE)).toBeGreaterThan(0.5);
    expect(gateProbability({ ...strong, asksPrediction: 1 }, DEFAULT_GATE)).toBeLessThanOrEqual(0.05);
  });
});
