import { describe, expect, it } from "vitest";
import { composeAnswer } from "../../src/answering/compose-answer.ts";
import { askingClauses, MAX_PARTS, questionParts } from "../../src/answering/question-parts.ts";
import { toCatalogProduct, type ProductFields } from "../../src/catalog/product.ts";
import { answeredBy, planAnswer } from "../../src/answering/plan-answer.ts";
import { assess } from "../../src/escalation/assess.ts";
import type { Retrieval, RetrievedPassage } from "../../src/retrieval/retriever.ts";

describe("the questions of one message", () => {
  it("parts a message after a question mark or a full stop, and before a word opening another question", () => {
    expect(questionParts("砧板有多厚啊？多久要抹一次油")).toEqual(["砧板有多厚啊？", "多久要抹一次油"]);
    expect(questionParts("可以机洗吗。另外保修几年")).toEqual(["可以机洗吗。", "另外保修几年"]);
    // In traditional characters; a follow-up asking whether to buy it separately asks the box's contents
    // again (and "另外买" opens no new question).
    expect(questionParts("整把椅子多重？座面布要是磨壞了保幾年")).toEqual(["整把椅子多重？", "座面布要是磨壞了保幾年"]);
    expect(questionParts("送不送地席？还要另外买吗")).toEqual(["送不送地席？", "还要另外买吗"]);
    expect(questionParts("送不送地席？还要吗")).toEqual(["送不送地席？还要吗"]);
    // An interrogative after the situation it follows asks too.
    expect(questionParts("our bed is 2 m wide, which size should i get and will it hang over the sides?")).toEqual(["our bed is 2 m wide, which size should i get", "and will it hang over the sides?"]);
    expect(questionParts("price? and if it stops working, for how long do you fix it free")).toEqual(["price?", "and if it stops working, for how long do you fix it free"]);
    // An alternative question asks too ("是…还是…", a decimal inside it).
    expect(questionParts("这款音箱哪年出的？蓝牙是 5.0 还是更新的")).toEqual(["这款音箱哪年出的？", "蓝牙是 5.0 还是更新的"]);
    // 几 in a clause telling what the shopper means to do is "a few", not a question.
    expect(questionParts("锅底平的那块实际有多大？想一次煎两个荷包蛋再加几片培根")).toEqual(["锅底平的那块实际有多大？想一次煎两个荷包蛋再加几片培根"]);
    expect(questionParts("多重？想问一下几天到")).toEqual(["多重？", "想问一下几天到"]);
    // A request to be told asks too.
    expect(questionParts("CADR是多少？除甲醛的那个值也说一下")).toEqual(["CADR是多少？", "除甲醛的那个值也说一下"]);
    expect(questionParts("how heavy is it? tell me the size too")).toEqual(["how heavy is it?", "tell me the size too"]);
    expect(questionParts("i know what it is. does it come in red?")).toEqual(["i know what it is. does it come in red?"]);
    expect(questionParts("can i pair two for stereo? and how long to charge from dead")).toEqual(["can i pair two for stereo?", "and how long to charge from dead"]);
    expect(questionParts("is it 1.5 m long and how much is it")).toEqual(["is it 1.5 m long", "and how much is it"]);
    expect(questionParts("What is it made of and how big is it?")).toEqual(["What is it made of", "and how big is it?"]);
    // A follow-up naming nothing of its own asks the question before it again.
    expect(questionParts("开着降噪能用多久？关了呢")).toEqual(["开着降噪能用多久？关了呢"]);
    expect(questionParts("炒锅有哪几个颜色？送不送锅铲")).toEqual(["炒锅有哪几个颜色？", "送不送锅铲"]);
    expect(questionParts("有涂层吗？送不送锅盖")).toEqual(["有涂层吗？", "送不送锅盖"]);
    // Contractions typed without an apostrophe open a question too.
    expect(questionParts("how much is it and hows the warranty")).toEqual(["how much is it", "and hows the warranty"]);
  });

  it("keeps the shopper's situation with the question it belongs to", () => {
    // Told after a question: that question's; told before any: the next one's.
    expect(questionParts("这锅有涂层吗？怕涂层掉了吃进肚子。另外保修几年")).toEqual(["这锅有涂层吗？ 怕涂层掉了吃进肚子。", "另外保修几年"]);
    expect(questionParts("I have a toddler. Does the outside get hot? And how long does it take to boil?")).toEqual(["I have a toddler. Does the outside get hot?", "And how long does it take to boil?"]);
  });

  it("tells what a question asks from the situation the shopper tells after it", () => {
    expect(askingClauses("is it waterproof? it rains a lot where i live")).toBe("is it waterproof?");
    expect(askingClauses("一锅能炸多少鸡翅？我们两口子一顿吃两斤左右")).toBe("一锅能炸多少鸡翅？");
    expect(askingClauses("这个锅能丢洗碗机里洗吗，懒得手洗")).toBe("这个锅能丢洗碗机里洗吗，");
    // A situation told first often names what is asked about: it stays.
    expect(askingClauses("im about 110kg, will this chair hold me?")).toBe("im about 110kg, will this chair hold me?");
    expect(askingClauses("我家是电磁炉，能用吗")).toBe("我家是电磁炉，能用吗");
    // Every clause asks, or none does: the whole question.
    expect(askingClauses("how much is it, and does it come in navy")).toBe("how much is it, and does it come in navy");
    expect(askingClauses("the lid is cracked")).toBe("the lid is cracked");
  });

  it("takes a message asking more than a few things as one question, so that its cost stays bounded", () => {
    const many = Array.from({ length: 500 }, () => "有涂层吗？").join("");
    expect(questionParts(many)).toEqual([many]);
    const few = Array.from({ length: MAX_PARTS }, (_, index) => `第${index + 1}个多少钱？`).join("");
    expect(questionParts(few)).toHaveLength(MAX_PARTS);
  });

  it("leaves a message asking one thing whole", () => {
    for (const question of ["我家是电磁炉，能用吗", "两台笔记本一起插两个C口，各给多少瓦", "how heavy is the big one? my mums wrists arent great", "Hi. Does it come in red?", "1.5 m or 1.8 m?"]) {
      expect(questionParts(question)).toEqual([question]);
    }
  });
});

const fields: ProductFields = {
  sku: "T-PAN", lang: "zh", name: "三层钢煎锅 28 厘米", category: "厨具", price: 459, currency: "CNY", launchDate: "2026-09-01",
  attributes: { 涂层: "无涂层", 质保: "5 年", 适用炉具: "燃气灶、电磁炉" },
  description: "三层复合不锈钢，没有涂层，也就不存在涂层磨损的问题。",
};

function passage(key: string, text: string): RetrievedPassage {
  return { label: key.length, key, documentId: "product:T-PAN:zh", productId: "T-PAN", lang: "zh", kind: "product", title: "三层钢煎锅 28 厘米", text, url: null, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: 1, denseSimilarity: 0.5, onPage: true };
}

const page = [
  passage("product:T-PAN:zh#0", "三层钢煎锅 28 厘米。分类：厨具。价格：¥459。上市日期：2026-09-01"),
  passage("product:T-PAN:zh#1", "涂层：无涂层；质保：5 年；适用炉具：燃气灶、电磁炉"),
  passage("product:T-PAN:zh#2", fields.description),
];
const retrieval: Retrieval = { query: "", language: "zh", productId: "T-PAN", requestedProductId: "T-PAN", knowledgeVersion: 1, passages: page, pagePassages: page, storePassages: [], bestLexicalScore: 1, bestDenseSimilarity: 0.5 };

function ask(question: string) {
  const assessment = assess({ question, language: "zh", retrieval, product: toCatalogProduct(fields), threshold: 0.5 });
  return { assessment, text: composeAnswer(assessment.plan, "zh").text };
}

describe("a request told before the shopper's situation", () => {
  it("is read in its own clause: another version the page does not name goes to a person", () => {
    // The page says this pan has no coating; whether the store sells one with a coating, it does not say.
    expect(ask("有没有带涂层的？不粘一点好洗").assessment.decision.action).toBe("handoff");
  });
});

describe("answering a message that asks two things", () => {
  it("answers both parts, each from its own fact", () => {
    const { assessment, text } = ask("这锅有涂层吗？另外保修几年");
    expect(assessment.decision.action).toBe("answer");
    expect(text).toContain("无涂层");
    expect(text).toContain("5 年");
  });

  it("hands the whole message to a person when one part is not on the page, rather than answer half of it", () => {
    const half = ask("有涂层吗？送不送锅盖");
    expect(half.assessment.decision.action).toBe("handoff");
    // Asked alone, the part the page answers is answered.
    expect(ask("有涂层吗？").assessment.decision.action).toBe("answer");
  });
});

describe("a part answered by another part's answer", () => {
  const bedding = toCatalogProduct({
    sku: "T-BED", lang: "zh", name: "长绒棉四件套", category: "床品", price: 499, currency: "CNY", launchDate: "2026-10-01",
    attributes: { 洗涤: "可机洗 40°C，缩水率 3% 以内", 面料: "100% 长绒棉" }, description: "贡缎织法，手感顺滑。",
  });
  const texts = ["长绒棉四件套。分类：床品。价格：¥499。上市日期：2026-10-01", "洗涤：可机洗 40°C，缩水率 3% 以内；面料：100% 长绒棉", "贡缎织法，手感顺滑。"];
  const bedPage = texts.map((text, index) => ({ ...passage(`product:T-BED:zh#${index}`, text), documentId: "product:T-BED:zh", productId: "T-BED" }));
  const bedRetrieval: Retrieval = { ...retrieval, productId: "T-BED", requestedProductId: "T-BED", passages: bedPage, pagePassages: bedPage };

  it("answers a follow-up naming nothing of its own with the question before it, with the fact once", () => {
    const question = "洗完会缩水吗？缩多少";
    expect(questionParts(question)).toEqual([question]);
    const assessment = assess({ question, language: "zh", retrieval: bedRetrieval, product: bedding, threshold: 0.5 });
    expect(assessment.decision.action).toBe("answer");
    const text = composeAnswer(assessment.plan, "zh").text;
    expect(text).toContain("3% 以内");
    expect(text.split("缩水率").length - 1).toBe(1);
  });

  it("tells whether one part's answer answers another: its focus spoken to, and the kind of amount asked given", () => {
    const first = planAnswer({ question: "洗完会缩水吗？", language: "zh", retrieval: bedRetrieval, product: bedding });
    expect(answeredBy("缩多少", first, bedRetrieval)).toBe(true);
    expect(answeredBy("多久要洗一次", first, bedRetrieval)).toBe(false);
    expect(answeredBy("面料是什么", first, bedRetrieval)).toBe(false);
  });

  it("does not take a follow-up as answered when the first part's answer gives none of the kind of amount it asks", () => {
    // How often to wash it is a time: the washing fact (40°C, 3%) speaks of washing but says no time.
    const assessment = assess({ question: "洗完会缩水吗？多久要洗一次", language: "zh", retrieval: bedRetrieval, product: bedding, threshold: 0.5 });
    expect(assessment.decision.action).toBe("handoff");
  });
});
