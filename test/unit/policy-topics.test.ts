import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { planAnswer } from "../../src/answering/plan-answer.ts";
import { findPolicyTopics, policyEntryMatch, withPolicyTerms } from "../../src/catalog/match-policy.ts";
import { toCatalogProduct } from "../../src/catalog/product.ts";
import type { Retrieval, RetrievedPassage } from "../../src/retrieval/retriever.ts";
import { searchPassageTerms } from "../../src/retrieval/lexical-query.ts";

const topics = (question: string) => findPolicyTopics(question).map((hit) => hit.topic.id);

describe("store policy topics from shoppers' phrasings", () => {
  it("finds the policy a question asks about in English and Chinese, not in the policy's own words", () => {
    expect(topics("how many days to get it delivered to Chengdu")).toContain("delivery-time");
    expect(topics("how long do I have to send it back")).toContain("returns");
    expect(topics("what does sending it back cost me")).toContain("returns");
    expect(topics("when do I get my money back")).toContain("refund");
    expect(topics("can I pay for this in installments")).toContain("instalments");
    expect(topics("能发香港吗")).toContain("regions");
    expect(topics("几点前付款当天能发")).toContain("dispatch");
    expect(topics("下单后还能取消吗")).toContain("cancel");
    expect(topics("有没有新人优惠")).toContain("discounts");
    expect(topics("How much is it?")).toEqual([]);
    expect(topics("灯光会闪吗")).toEqual([]);
    // "几点" alone is not a question about service hours, nor "发热" about dispatch.
    expect(topics("几点能自动关")).toEqual([]);
    expect(topics("会发热吗")).toEqual([]);
  });

  it("prefers the entry whose heading is about the topic asked, and no other topic", () => {
    const asked = findPolicyTopics("can I still cancel after ordering");
    const cancel = policyEntryMatch(asked, "Can I cancel my order?", "Yes, as long as the order status is awaiting shipment.", "can I still cancel after ordering");
    const coupon = policyEntryMatch(asked, "What happens to my coupon if I cancel or return an order?", "If you cancel before shipping, the coupon goes back.", "can I still cancel after ordering");
    const payment = policyEntryMatch(asked, "How long do I have to pay for an order?", "Unpaid orders are cancelled after 30 minutes.", "can I still cancel after ordering");
    expect(cancel).toBeGreaterThan(coupon);
    expect(coupon).toBeGreaterThan(payment);
    expect(payment).toBeGreaterThan(0);
    expect(policyEntryMatch(asked, "How do I earn points?", "1 point for every ¥1.", "can I still cancel after ordering")).toBe(0);
  });

  it("answers a question about a policy from its entry, and one about its exceptions from theirs", () => {
    const entries = (question: string) => {
      const asked = findPolicyTopics(question);
      return {
        policy: policyEntryMatch(asked, "退货政策是怎样的？", "签收后 30 天内可以无理由退货。", question),
        exceptions: policyEntryMatch(asked, "哪些商品不支持无理由退货？", "拆封后的滤芯不支持无理由退货。", question),
      };
    };
    const plain = entries("不喜欢可以退吗");
    expect(plain.policy).toBeGreaterThan(plain.exceptions);
    const excepted = entries("哪些东西不能退");
    expect(excepted.exceptions).toBeGreaterThanOrEqual(excepted.policy);
    expect(topics("能在国外用吗")).toEqual([]);
    expect(topics("能寄到国外吗")).toContain("regions");
    expect(topics("do my points run out")).toContain("points-expire");
    expect(topics("买这个送积分吗")).toContain("points-earn");
    expect(topics("what time does customer service open")).toContain("service-hours");
  });

  it("adds the words policy entries use to a lexical search, in the question's language", () => {
    expect(withPolicyTerms("how long do I have to send it back")).toMatch(/return/);
    expect(withPolicyTerms("东西不喜欢能退吗")).toMatch(/退货/);
    expect(withPolicyTerms("东西不喜欢能退吗")).not.toMatch(/return/);
    expect(withPolicyTerms("is it dishwasher safe")).toBe("is it dishwasher safe");
    const db = new DatabaseSync(":memory:");
    db.exec("CREATE TABLE passages (label INTEGER PRIMARY KEY, product_id TEXT); CREATE VIRTUAL TABLE passage_terms USING fts5(tokens, tokenize = 'porter unicode61 remove_diacritics 2')");
    const insert = db.prepare("INSERT INTO passage_terms (rowid, tokens) VALUES (?, ?)");
    insert.run(1, "what is your return policy you can return most items within 30 days");
    insert.run(2, "how long does delivery take most orders arrive in 2 days");
    const hits = searchPassageTerms(db, "how long do I have to send it back", { limit: 5, productId: null, passages: 2 });
    expect(hits[0]!.label).toBe(1);
  });
});

function passage(label: number, title: string, text: string, score: number, productId: string | null = null): RetrievedPassage {
  return {
    label, key: `k${label}`, documentId: productId ? `product:${productId}:en` : `faq:${label}:en`, title, text, lang: "en", productId, kind: productId ? "product" : "faq",
    score, lexicalRank: label, lexicalScore: 1, denseRank: label, denseSimilarity: 0.3, onPage: productId !== null,
  } as RetrievedPassage;
}

describe("policy questions on a product page", () => {
  const product = toCatalogProduct({
    sku: "T-KETTLE", lang: "en", name: "Steel Kettle", category: "Kitchen", price: 199, currency: "CNY", launchDate: "2024-01-01",
    attributes: { Capacity: "1.7 L", Warranty: "1 year" }, description: "A kettle.",
  });
  const page = passage(1, "Steel Kettle", "A kettle that boils 1.7 L. Capacity: 1.7 L. Warranty: 1 year.", 0.05, "T-KETTLE");
  // Retrieval ranks the refund entry first (it shares "days" and "get"); the delivery entry is lower.
  const refund = passage(2, "When will I get my refund?", "We issue the refund within 1–3 working days of the item arriving. Card refunds take 3–7 days.", 0.03);
  const delivery = passage(3, "How long does delivery take?", "Most orders arrive in 1–3 days in big cities and 3–5 days elsewhere. Remote areas take longer.", 0.02);
  const retrieval = (storePassages: RetrievedPassage[]): Retrieval => ({
    query: "", language: "en", productId: "T-KETTLE", knowledgeVersion: 1, passages: [page, ...storePassages], pagePassages: [page], storePassages, bestLexicalScore: 1, bestDenseSimilarity: 0.3,
  }) as Retrieval;

  it("ranks the store's policy entries by the topic asked, and answers from one entry only", () => {
    const plan = planAnswer({ question: "how many days to get it delivered to Chengdu", language: "en", retrieval: retrieval([refund, delivery]), product });
    expect(plan.source).toBe("store");
    expect(plan.sentences.every((sentence) => sentence.passage === delivery)).toBe(true);
    expect(plan.signals.policyMatch).toBeGreaterThan(0.8);
  });

  it("keeps the product's own fact first when the product has one for a policy phrasing", () => {
    const plan = planAnswer({ question: "how long is the warranty if it breaks", language: "en", retrieval: retrieval([refund, delivery]), product });
    expect(plan.source).toBe("fact");
    expect(plan.facts[0]!.match.fact.label).toBe("Warranty");
  });
});
