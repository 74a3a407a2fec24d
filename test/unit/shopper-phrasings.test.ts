import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { planAnswer } from "../../src/answering/plan-answer.ts";
import { findConcepts, isOfferRequest, isOrderProblem, isPrediction, matchFacts, singleCharacterRuns } from "../../src/catalog/match-facts.ts";
import { comparedObjects, roleObjects } from "../../src/catalog/question-frames.ts";
import { findPolicyTopics } from "../../src/catalog/match-policy.ts";
import { toCatalogProduct, type ProductFields } from "../../src/catalog/product.ts";
import { askedCount, parseQuantities, statedWithin } from "../../src/catalog/quantities.ts";
import { inPageWords } from "../../src/catalog/synonyms.ts";
import type { Retrieval, RetrievedPassage } from "../../src/retrieval/retriever.ts";
import { readAsMandarin } from "../../src/text/cantonese.ts";

const casserole: ProductFields = {
  sku: "T-POT", lang: "zh", name: "珐琅铸铁炖锅 24 厘米 4.2 升", category: "厨具", price: 899, currency: "CNY", launchDate: "2024-01-01",
  attributes: { 容量: "4.2 升", 重量: "4.6 千克" },
  description: "4.2 升圆形珐琅铸铁锅，炖肉、煲汤都合适，够 4–6 人吃。",
};
const skillet: ProductFields = {
  sku: "T-SKILLET", lang: "zh", name: "铸铁煎锅 20 厘米", category: "厨具", price: 179, currency: "CNY", launchDate: "2024-01-01",
  attributes: { 可否进烤箱: "可以", 重量: "1.6 千克" },
  description: "单手拿起轻松得多，进深 32 厘米以上（含把手）的小烤箱也放得下。",
};
const jacket: ProductFields = {
  sku: "T-JACKET", lang: "en", name: "Packable Down Jacket", category: "Outdoor", price: 699, currency: "CNY", launchDate: "2024-01-01",
  attributes: { Sizes: "XS, S, M, L, XL. See our size guide for chest and height measurements.", Fill: "90% duck down" },
  description: "A light down jacket.",
};
const careKit: ProductFields = {
  sku: "T-KIT", lang: "en", name: "Cast Iron Care Kit", category: "Accessories", price: 89, currency: "CNY", launchDate: "2024-01-01",
  attributes: { Contents: "Seasoning oil, chainmail scrubber, scraper" },
  description:
    "Everything you need to keep bare cast iron cookware in good shape. To restore a rusty pan, scrub the rust off and bake it at 230 °C for one hour. Do not use the scrubber on enamelled cast iron such as our casserole (KF-KIT-0103).",
};
const vacuum: ProductFields = {
  sku: "T-VAC", lang: "en", name: "Stick Vacuum", category: "Home", price: 1499, currency: "CNY", launchDate: "2024-01-01",
  attributes: { Runtime: "Up to 50 minutes in Eco with a non-motorised tool; about 12 minutes in Boost", "In the box": "Motorised floor head, crevice tool" },
  description: "Runtime depends on mode: around 35 minutes in Eco with the motorised floor head. Empty the bin after each use.",
};
const headphones: ProductFields = {
  sku: "T-H2", lang: "zh", name: "H2 头戴式降噪耳机", category: "耳机", price: 1299, currency: "CNY", launchDate: "2024-01-01",
  attributes: { 降噪: "混合主动降噪，6 麦克风" },
  description: "和 E2 入耳式耳机相比，H2 降噪更强。",
};

function passage(key: string, productId: string | null, title: string, text: string, lang: "zh" | "en"): RetrievedPassage {
  return { label: key.length, key, documentId: key.split("#")[0]!, productId, lang, kind: productId ? "product" : "faq", title, text, url: null, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: 1, denseSimilarity: 0.5, onPage: productId !== null };
}

/** The kinds of fact a question asks for, by id. */
const kinds = (question: string) => findConcepts(question).map((hit) => hit.concept.id);

function plan(question: string, fields: ProductFields, store: RetrievedPassage[] = []) {
  const page = [passage(`product:${fields.sku}:${fields.lang}#0`, fields.sku, fields.name, fields.description, fields.lang)];
  const retrieval: Retrieval = {
    query: question, language: fields.lang, productId: fields.sku, requestedProductId: fields.sku, knowledgeVersion: 1, passages: [...page, ...store],
    pagePassages: page, storePassages: store, bestLexicalScore: 1, bestDenseSimilarity: 0.5,
  };
  return planAnswer({ question, language: fields.lang, retrieval, product: toCatalogProduct(fields) });
}

describe("written Cantonese and traditional characters", () => {
  it("reads them in the lexicons' Mandarin", () => {
    expect(readAsMandarin("飯煲有冇5升嘅大號？屋企人多")).toBe("电饭煲有没有5升的大号？家里人多");
    expect(readAsMandarin("燉鍋大概夠幾個人吃？")).toBe("炖锅大概够几个人吃？");
    expect(readAsMandarin("呢個係咪防水")).toBe("这个是不是防水");
  });

  it("leaves simplified Mandarin, and traditional Mandarin's own characters, as Mandarin", () => {
    expect(readAsMandarin("这个锅能进烤箱吗")).toBe("这个锅能进烤箱吗");
    expect(readAsMandarin("關係")).toBe("关系");
  });

  it("asks for another size in Cantonese as an offer, and for a kind of fact in traditional characters", () => {
    expect(isOfferRequest(readAsMandarin("飯煲有冇5升嘅大號？"))).toBe(true);
    expect(kinds(readAsMandarin("燉鍋大概夠幾個人吃？"))).toContain("capacity");
  });
});

describe("what a question asks beyond its words", () => {
  it("reads a repair only where the product is the thing repaired", () => {
    const topics = (question: string) => findPolicyTopics(question).map((hit) => hit.topic.id);
    expect(topics("can you fix it if the handle breaks")).toContain("warranty-claim");
    expect(topics("my cast iron pan got rusty, how do i fix it with this kit?")).not.toContain("warranty-claim");
    expect(topics("will this fix my cervical spondylosis?")).not.toContain("warranty-claim");
  });

  it("reads swapping for another size as an exchange", () => {
    const topics = (question: string) => findPolicyTopics(question).map((hit) => hit.topic.id);
    expect(topics("if M turns out too tight can i swap it for L?")).toContain("exchange");
    expect(topics("不合适能换大一码吗")).toContain("exchange");
    expect(topics("can i swap the filter myself")).not.toContain("exchange");
  });

  it("reads a refund of a price difference as price protection, not returns", () => {
    const topics = findPolicyTopics("买了之后要是降价了 能退差价吗").map((hit) => hit.topic.id);
    expect(topics[0]).toBe("price-protection");
    expect(topics).not.toContain("returns");
  });

  it("reads predictions of a price, waiting for one, and health claims as judgements no page makes", () => {
    expect(isPrediction("will these get cheaper after new year? thinking of waiting")).toBe(true);
    expect(isPrediction("is it worth waiting for black friday")).toBe(true);
    expect(isPrediction("等过年再买会便宜吗")).toBe(true);
    expect(isPrediction("will this fix my cervical spondylosis?")).toBe(true);
    expect(isPrediction("这个枕头能治颈椎病吗")).toBe(true);
    expect(isPrediction("is a new model coming out soon?")).toBe(true);
    expect(isPrediction("会不会出新款")).toBe(true);
    expect(isPrediction("when was it launched")).toBe(false);
    expect(isPrediction("is it good for side sleepers")).toBe(false);
    expect(isPrediction("多少钱")).toBe(false);
  });

  it("reads trouble with the shopper's own item told without the usual words", () => {
    expect(isOrderProblem("left earbud stopped charging after 2 months, what do i do now")).toBe(true);
    expect(isOrderProblem("上个月买的耳机充不进电了")).toBe(true);
    expect(isOrderProblem("用了两个月就不充电了")).toBe(true);
    expect(isOrderProblem("my order arrived with a dent in the lid")).toBe(true);
    expect(isOrderProblem("my headphones keep disconnecting from my laptop")).toBe(true);
    expect(isOrderProblem("the left one stopped pairing")).toBe(true);
    expect(isOrderProblem("what if it stopped working after the warranty")).toBe(false);
    expect(isOrderProblem("how long does it take to charge")).toBe(false);
  });

  it("reads sizes in Chinese numerals, and pickup, as requests the page does not answer", () => {
    expect(isOfferRequest("保温杯有一升的吗 750不够喝")).toBe(true);
    expect(isOfferRequest("能不能去你们杭州仓库自提")).toBe(true);
    expect(isOfferRequest("can i pick it up from your warehouse")).toBe(true);
    expect(isOfferRequest("is it light enough to pick up with one hand")).toBe(false);
  });

  it("finds another product a question compares this one with", () => {
    expect(comparedObjects("H2和索尼XM5比 哪个降噪更好")).toEqual(["索尼xm5"]);
    expect(comparedObjects("跟 Sony WH 1000XM5 比哪个续航长")).toEqual(["sony wh 1000xm5"]);
    expect(comparedObjects("is it quieter than my baratza encore?")).toEqual(["baratza encore"]);
    expect(comparedObjects("is it warmer than my uniqlo ultra light down?")).toEqual(["uniqlo ultra light down"]);
    expect(comparedObjects("跟戴森比哪个好用")).toEqual(["戴森"]);
    expect(comparedObjects("我现在用的小米 和这个比哪个安静")).toEqual(["小米"]);
    expect(comparedObjects("how warm is it")).toEqual([]);
  });

  it("does not answer a comparison with a product the page never names, and does with one it names", () => {
    expect(plan("H2和索尼XM5比 哪个降噪更好", headphones).source).toBe("none");
    expect(plan("H2和E2比 哪个降噪更好", headphones).source).not.toBe("none");
  });
});

describe("kinds of fact asked in the shopper's own terms", () => {
  it("reads the shopper's own weight as a load", () => {
    expect(kinds("我200斤 坐这个椅子会不会塌")).toContain("load");
    expect(kinds("im about 110kg, will this chair hold me?")).toContain("load");
    expect(parseQuantities("我200斤")[0]?.dimension).toBe("mass");
  });
  it("reads charging several at once as the output, sweat as water, itching as the material's feel", () => {
    expect(kinds("行动电源可以三台一起充吗")).toContain("charges-devices");
    expect(kinds("can it charge two phones at once")).toContain("charges-devices");
    expect(kinds("跑步出汗戴会不会坏")).toContain("water");
    expect(kinds("wool usually makes me itchy, is this one scratchy?")).toContain("texture");
    expect(kinds("扎不扎人 我皮肤比较敏感")).toContain("texture");
  });
  it("reads how much in one go as the capacity", () => {
    expect(kinds("can i do a whole bag of frozen fries in one go?")).toContain("capacity");
    expect(kinds("一次能做多少鸡翅")).toContain("capacity");
  });
  it("reads setting a time to switch off as the timer", () => {
    expect(kinds("台灯可以设置时间自己关掉吗")).toContain("timer");
    expect(kinds("can i set a time for it to turn off")).toContain("timer");
  });
});

describe("amounts the shopper counts in or states", () => {
  it("knows what a question counts in", () => {
    expect(askedCount("够几个人吃")?.test("够 4–6 人吃")).toBe(true);
    expect(askedCount("how many people does it feed")?.test("serves 2–3")).toBe(true);
    expect(askedCount("能充几次")?.test("可充 4 次")).toBe(true);
    expect(askedCount("how big is it")).toBeNull();
  });

  it("reads 公分 as a length and 30平 as an area", () => {
    expect(parseQuantities("进深35公分")).toEqual([{ value: 35, unit: "公分", dimension: "length" }]);
    expect(parseQuantities("客厅30平")).toEqual([{ value: 30, unit: "平", dimension: "area" }]);
    expect(kinds("我家客厅大概30平 这台带得动吗")).toEqual(["room"]);
  });

  it("finds the row holding the shopper's own measurements", () => {
    expect(statedWithin("I'm 178cm with a 100cm chest", "L 98–104 cm, 174–180 cm")).toBe(2);
    expect(statedWithin("I'm 178cm with a 100cm chest", "XS 80–86 cm, 155–162 cm")).toBe(0);
    // Amounts in different units of one kind are compared as the same amount.
    expect(statedWithin("I'm 1.78m tall", "L 98–104 cm, 174–180 cm")).toBe(1);
    expect(statedWithin("我200斤", "适合体重 80–120 kg")).toBe(1);
    expect(statedWithin("我200斤", "承重 80–90 kg")).toBe(0);
  });

  it("adds the page sentence counting what the fact does not", () => {
    const answer = plan("炖锅大概够几个人吃？", casserole);
    expect(answer.source).toBe("fact");
    expect(answer.sentences.map((sentence) => sentence.text).join("")).toContain("4–6 人");
  });

  it("adds the sentence giving the stated length, not the product's name", () => {
    const answer = plan("我家小烤箱进深也就35公分左右，这个20的塞得进去吗", skillet);
    expect(answer.sentences.map((sentence) => sentence.text).join("")).toContain("32 厘米");
  });

  it("takes the size row from a store entry about the product", () => {
    const guide = passage("faq:sizing:en#1", null, "Which size should I choose for the Packable Down Jacket?", "The jacket (T-JACKET) is a regular fit. Body chest and height by size: XS 80–86 cm, 155–162 cm; L 98–104 cm, 174–180 cm; XL 104–110 cm, 180–186 cm.", "en");
    const answer = plan("I'm 178cm with about a 100cm chest, which size should i get", jacket, [guide]);
    expect(answer.sentences.map((sentence) => sentence.text).join(" ")).toContain("98–104");
  });
});

describe("which page sentence answers", () => {
  it("ranks by the words beyond the product's name, and never by a product code", () => {
    const answer = plan("my cast iron pan got rusty, how do i fix it with this kit?", careKit);
    expect(answer.sentences[0]?.text).toContain("rusty pan");
  });

  it("adds the sentence naming a condition the fact does not", () => {
    const answer = plan("realistically how long does the battery last with the big floor brush on", vacuum);
    expect(answer.source).toBe("fact");
    expect(answer.sentences.map((sentence) => sentence.text).join(" ")).toContain("35 minutes");
  });

  it("looks up words the segmenter splits into characters by their bigrams", () => {
    expect(singleCharacterRuns("放燃气灶上烧", [])).toContainEqual(["放燃", "燃气", "气灶", "灶上", "上烧"]);
    expect(singleCharacterRuns("保修多长时间", findConcepts("保修多长时间"))).toEqual([]);
  });

  it("reads 煤气灶 as the page's 燃气灶, 排骨 as its 骨头", () => {
    expect(inPageWords("内胆可以直接放煤气灶上烧吗", "不能放到燃气灶上加热")).toBe("内胆可以直接放燃气灶上烧吗");
    expect(inPageWords("这刀能剁排骨吗", "不适合剁骨头")).toBe("这刀能剁骨头吗");
  });
});

describe("colours, counts, power and sizes asked in shoppers' words", () => {
  const speaker: ProductFields = {
    sku: "T-GO", lang: "zh", name: "防水蓝牙音箱", category: "音频", price: 399, currency: "CNY", launchDate: "2024-01-01",
    attributes: { 颜色: "黑色、松绿、珊瑚红", 功率: "42 瓦", 过滤系统: "五级过滤，HEPA 滤网可水洗" },
    description: "小巧的防水音箱。",
  };
  const bottle: ProductFields = {
    sku: "T-BOTTLE", lang: "en", name: "Insulated Bottle", category: "Outdoor", price: 149, currency: "CNY", launchDate: "2024-01-01",
    attributes: { Colours: "Pine, Sand, Slate, White", Dimensions: "7.4 cm diameter × 27 cm" },
    description: "A bottle for hiking.",
  };
  const fryer: ProductFields = { ...casserole, sku: "T-FRYER", attributes: { 容量: "4.5 升" } };

  it("answers a request for other colours with the colours listed, not as a request beyond the page", () => {
    for (const question of ["还有其他颜色吗", "除了黑的还有别的色吗", "出了哪些配色"]) {
      const answer = plan(question, speaker);
      expect(answer.source, question).toBe("fact");
      expect(answer.facts[0]?.match.fact.label, question).toBe("颜色");
      expect(answer.signals.asksOffer, question).toBe(false);
    }
    for (const question of ["what shades is it available in?", "is there a lighter colour than black?"]) {
      expect(plan(question, bottle).facts[0]?.match.fact.label, question).toBe("Colours");
    }
  });

  it("keeps a named colour, or another colour of a page that lists none, a request the page cannot answer", () => {
    expect(isOfferRequest("有红色的吗")).toBe(true);
    expect(plan("还有其他颜色吗", fryer).source).not.toBe("fact");
  });

  it("reads 几 with a measure word as asking a count of what follows", () => {
    expect(plan("几级过滤？", speaker).facts[0]?.match.fact.label).toBe("过滤系统");
  });

  it("answers electricity use with the power", () => {
    expect(plan("费电吗", speaker).facts[0]?.match.fact.label).toBe("功率");
  });
});

describe("when it came out", () => {
  it("answers with a date as shoppers write it", () => {
    const mug: ProductFields = { ...casserole, sku: "T-MUG", lang: "en", name: "Travel Mug", launchDate: "2026-11-12" };
    expect(plan("is this the new one that just came out?", mug).facts[0]?.match.fact.value).toBe("12 November 2026");
    expect(plan("哪个月开卖的", { ...casserole, launchDate: "2026-09-20" }).facts[0]?.match.fact.value).toBe("2026 年 9 月 20 日");
    // A date is no amount: its year does not answer "how many years".
    expect(toCatalogProduct({ ...casserole, launchDate: "2026-09-20" }).facts.find((fact) => fact.kind === "launchDate")?.quantities).toEqual([]);
  });
});

describe("a question naming no kind of fact", () => {
  it("finds the fact whose value names its subject", () => {
    const pillow: ProductFields = {
      sku: "T-PILLOW", lang: "zh", name: "记忆棉枕", category: "床品", price: 259, currency: "CNY", launchDate: "2024-01-01",
      attributes: { 枕芯: "慢回弹记忆棉，密度 50 千克/立方米", 枕套: "可拆卸莱赛尔混纺针织枕套，可机洗 30°C" },
      description: "人体工学波浪形记忆棉枕。",
    };
    expect(plan("外面那个枕套是什么料子？", pillow).facts[0]?.match.fact.label).toBe("枕套");
  });
});

describe("phrasings shoppers use for a kind of fact", () => {
  const asked: [question: string, kind: string][] = [
    ["有白的吗", "colour"],
    ["费电吗", "power"],
    ["footprint? tiny kitchen", "size"],
    ["长宽多少？", "size"],
    ["down loft number?", "fill-power"],
    ["这是今年的新款吗？", "launch"],
    ["哪个月开卖的", "launch"],
    ["这款是今年什么时候上的", "launch"],
    ["is this the new one that just came out?", "launch"],
    ["this-year release or old stock?", "launch"],
    ["been in the shop long, or recently added?", "launch"],
    ["did this just come out", "launch"],
    ["这台吸尘器哪一年推出的", "launch"],
    ["记忆棉耳塞是哪一年开始卖的", "launch"],
    ["how long have you been selling this pillow?", "launch"],
    ["when did it first go on sale", "launch"],
    ["is it a new listing?", "launch"],
    ["how long till the battery's dead", "runtime"],
    ["用到多久没电", "runtime"],
    ["单次能撑几个钟", "runtime"],
    ["do i need to buy a lid seperately", "in-box"],
    ["要另外买锅盖吗", "in-box"],
    ["下暴雨扛得住吗", "water"],
    ["两台笔记本一起插两个C口，各给多少瓦", "power-sharing"],
    ["平时穿38码的鞋，拖鞋选哪个码", "size"],
    ["laptop in one usb-c and phone in the other, how much does each get", "power-sharing"],
    ["送几根地钉", "in-box"],
    ["坏了包修几年", "warranty"],
    ["how many years of cover do i get", "warranty"],
    ["for how long do you fix it free", "warranty"],
    ["what's it going for?", "price"],
    ["what are you charging for the power bank", "price"],
    ["what's it sell for", "price"],
    ["what's the warranty on the mug and what does it actually cover?", "warranty"],
    ["how many grams of down are actually stuffed in it?", "fill-weight"],
    ["羽绒服充绒量多少", "fill-weight"],
  ];
  const notAsked: [question: string, kind: string][] = [
    ["多少瓦时", "power"],
    ["can I split the payment with huabei", "power-sharing"],
    ["what are you charging for the power bank", "charging"],
    ["二维码在哪", "size"],
    ["有什么新推出的活动", "launch"],
    ["how much space should i leave behind it?", "price"],
    ["and what does it actually cover?", "room"],
    ["is the pillow cover removable", "room"],
    ["is this last year's model", "runtime"],
    // A tent's footprint is a groundsheet: one that comes with it is no size.
    ["does it come with a footprint", "size"],
  ];

  it("reads each as the kind it asks for, and not as a kind it only resembles", () => {
    for (const [question, kind] of asked) expect(kinds(question), question).toContain(kind);
    for (const [question, kind] of notAsked) expect(kinds(question), question).not.toContain(kind);
  });
});

describe("phrasings drafted apart from the question sets", () => {
  // test/fixtures/shopper-phrasings.json: one example per phrasing a reviewer drafted from the lexicon
  // and the catalog's attributes alone, kept where it cost no right answer on any set.
  const drafted = JSON.parse(readFileSync(new URL("../fixtures/shopper-phrasings.json", import.meta.url), "utf8")) as [question: string, kind: string][];

  it("reads each as the kind of fact it asks for", () => {
    expect(drafted.length).toBeGreaterThan(300);
    for (const [question, kind] of drafted) expect(kinds(question), question).toContain(kind);
  });
});

describe("roles", () => {
  it("reads a role without the count before it", () => {
    expect(roleObjects("能穿在冲锋衣里面当一层保暖吗")).toEqual(["保暖"]);
  });
});

describe("the only fact in the unit asked", () => {
  it("answers 'what's the wattage' with the one row in watts, whatever its name, but a time by its name only", () => {
    const cooker: ProductFields = {
      sku: "T-RICE", lang: "en", name: "IH Rice Cooker 3 L", category: "Kitchen", price: 699, currency: "CNY", launchDate: "2024-01-01",
      attributes: { Heating: "Full induction heating (IH), 1,000 W, 220 V ~ 50 Hz", "Delay timer": "Up to 24 hours", Warranty: "1 year" },
      description: "A rice cooker.",
    };
    expect(plan("what's the wattage?", cooker).facts[0]?.match.fact.label).toBe("Heating");
    expect(matchFacts("how long will it last me", toCatalogProduct(cooker)).filter((match) => match.score >= 0.7).map((match) => match.fact.label)).not.toContain("Warranty");
  });
});
