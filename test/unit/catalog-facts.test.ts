import { describe, expect, it } from "vitest";
import { findConcepts, foldWord, isOfferRequest, isOrderProblem, isPersonalCase, isStoreTopic, isYesNoQuestion, matchFacts, selectFacts, subjectWords, vocabularyTerms } from "../../src/catalog/match-facts.ts";
import { askedAction } from "../../src/catalog/question-frames.ts";
import { normalizeText } from "../../src/text/segment.ts";
import { toCatalogProduct, type ProductFields } from "../../src/catalog/product.ts";
import { askedKinds, asksQuantity, givesQuantity, missesAskedKind, parseQuantities } from "../../src/catalog/quantities.ts";

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
    expect(best("how much water can i actually fill it with", kettle)[0]).toBe("Capacity");
    expect(best("when did this kettle come out", kettle)[0]).toMatch(/launch/i);
    expect(findConcepts("will it keep me dry in a proper downpour").map((hit) => hit.concept.id)).toContain("water");
  });

  it("answers with every attribute a question names alike, not with another attribute sharing a word", () => {
    const purifier: ProductFields = {
      sku: "T-AIR", lang: "zh", name: "空气净化器", category: "家居", price: 1299, currency: "CNY", launchDate: "2026-09-01",
      attributes: { "颗粒物 CADR": "400 立方米/小时", "甲醛 CADR": "150 立方米/小时", 噪音: "22–58 分贝" },
      description: "",
    };
    expect(best("CADR是多少？", purifier).sort()).toEqual(["甲醛 CADR", "颗粒物 CADR"].sort());
    expect(best("甲醛CADR多少", purifier)).toEqual(["甲醛 CADR"]);
    const knife: ProductFields = { ...kettle, attributes: { "Blade length": "21 cm", "Blade steel": "VG-10" } };
    expect(best("how long is the blade", knife)).toEqual(["Blade length"]);
    // The product's own name is what is asked about, not a thing a fact must name.
    const kit: ProductFields = { ...kettle, lang: "zh", name: "铸铁锅保养套装", attributes: { 套装内容: "养锅油、清洁网、刮板" }, launchDate: "2024-03-15" };
    expect(best("保养套装哪年出的", kit)[0]).toMatch(/上市|launch/i);
  });

  it("reads what a yes/no question asking no kind of fact asks the product to do", () => {
    expect(askedAction("does it mop floors too")).toBe("mop");
    expect(askedAction("can it beep when it boils?")).toBe("beep");
    // What it has is a feature, what it holds a capacity: the lexicon's kinds of fact and frames answer those.
    expect(askedAction("does it have a timer")).toBeNull();
    expect(askedAction("will it hold 5 litres")).toBeNull();
    expect(askedAction("how long does it last")).toBeNull();
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
    for (const question of ["do you have a 30 cm one", "有 30 厘米的吗", "能以旧换新吗", "can I trade in my old one", "is there a 4-person version", "can I get a subscription for refills", "滤芯能定期配送吗", "do you sell a glass lid that fits it", "有配套的锅盖吗", "do you guys offer gift cards", "could you engrave my name on it for me", "能寄一块样布给我看看吗", "有没有大号的？", "能只补买一个内胆吗", "can I buy a second battery off you", "有没有更矮的？", "有没有 100 瓦的款？", "有没有便宜点的兼容款滤芯？",
      // Another version in a shopper's words, a part or another product bought from the store.
      "do you have a firmer version?", "any chance you do it in red?", "is there a bigger set like 10 pieces?", "有没有长款的，能盖到屁股那种", "有没有一万毫安的小号",
      "can i buy just a single replacement lid?", "is the spare battery sold on your site?", "这个磨刀石你们店有卖吗？", "有没有不包跟的款？", "got a bigger set with some round ones mixed in?",
      "any version with a plain stainless pot?", "do you have this shelf in 120 cm?", "can i just buy the chainmail scrubber by itself"]) expect(isOfferRequest(question), question).toBe(true);
    for (const question of ["有 2 米床的尺寸吗", "what sizes does it come in", "is it 30 cm wide", "will the lid fit my other pan", "can you tell me the price for me", "could you recommend one for me", "does it come with a spare filter", "买两个有优惠吗", "这个更大吗", "有没有更安静的模式", "is there a lighter colour than black?", "is there a light on it", "is there one with a timer?", "do i need to buy a wooden one separately"]) expect(isOfferRequest(question), question).toBe(false);
    expect(isPersonalCase("I ordered two but only got one")).toBe(true);
    expect(isPersonalCase("how many do I get in a pack")).toBe(false);
  });

  it("reads a load put on a product as its maximum load, and the attribute a question names as its subject", () => {
    const shelf: ProductFields = { ...kettle, sku: "T-SHELF", attributes: { "Maximum load": "15 kg evenly distributed", Weight: "3.1 kg", Dimensions: "80 × 20 × 3.5 cm" } };
    expect(best("how much weight can i put on it", shelf)[0]).toBe("Maximum load");
    expect(best("能挂多重的东西", { ...grinder, attributes: { 最大承重: "15 千克", 重量: "3.1 千克" } })[0]).toBe("最大承重");
    const burr: ProductFields = { ...kettle, sku: "T-BURR", attributes: { "Grind settings": "48 steps, espresso to French press", Dimensions: "13 × 18 × 36 cm", Weight: "2.4 kg" } };
    expect(best("how many grind sizes does this thing have", burr)[0]).toBe("Grind settings");
    // Only when the attribute names all the question is about: "grind spices" is not the settings' question.
    expect(best("can it grind spices too", burr)[0]).not.toBe("Grind settings");
  });

  it("reads what a value says is included as what comes with the product", () => {
    const shelf: ProductFields = { ...grinder, sku: "T-SHELF-ZH", attributes: { 安装方式: "隐藏式钢支架，附送适用于砖墙的螺丝与膨胀管", 最大承重: "15 千克", 重量: "3.1 千克" } };
    expect(best("附送螺丝吗", shelf)[0]).toBe("安装方式");
  });

  it("reads charging another device as the product's output, not its own charging", () => {
    const lantern: ProductFields = { ...kettle, sku: "T-LANTERN", attributes: { Charging: "USB-C input 5 V 2 A", "Power bank output": "USB-A 5 V 1 A", Weight: "320 g" } };
    expect(best("can it charge my phone", lantern)[0]).toBe("Power bank output");
    expect(best("能给手机充电吗", { ...grinder, attributes: { 充电: "USB-C 输入", 充电宝输出: "USB-A 5 伏 1 安" } })[0]).toBe("充电宝输出");
    expect(best("how long does it take to charge", lantern)[0]).toBe("Charging");
  });

  it("keeps a value the shopper names (a colour) as a word the answer must hold", () => {
    expect(findConcepts("有粉色的吗").map((hit) => hit.concept.id)).toContain("colour");
    expect(findConcepts("does it come in pink").map((hit) => hit.concept.id)).toContain("colour");
    expect(subjectWords(normalizeText("有粉色的吗"), findConcepts("有粉色的吗")).flat().join(" ")).toContain("粉色");
    expect(subjectWords(normalizeText("what colours are there"), findConcepts("what colours are there"))).toEqual([]);
  });

  it("tells a shopper's report of a problem with their own order from a question about policy", () => {
    for (const question of [
      "where is my order 20261120-5531, it hasnt moved in 4 days", "tracking says delivered but i never got the parcel", "I ordered two but only got one",
      "收到的锅有裂纹，订单号2026112233", "我的快递三天没更新了怎么回事", "收到的吸尘器坏了，开不了机", "my kettle arrived broken",
      "锅昨天刚到，锅底有两道划痕", "充电宝用了两个月就鼓起来了", "杯子今天送到的，杯口磕坏了一块",
      // A fault that came with use, and an order that shows no sign of leaving.
      "耳机用了三个多月续航变短了", "the strap snapped after two weeks", "my vacuum is much weaker than when i got it", "上周五下的单，一条物流信息都没有",
      "mine wont switch on after last weekends trip, can you fix or swap it?", "上周收到的杯子，才用三天翻盖的锁扣就断了，怎么处理",
      "ordered two of these, order PB2611150214, but only one was in the box", "满减券好像没扣上，多付了一百块，单号 PB2026111007xx", "got mine last week and coffee dribbles out of the lid",
    ]) expect(isOrderProblem(question), question).toBe(true);
    for (const question of [
      "when will my refund arrive", "what if it arrives broken?", "如果收到的东西坏了怎么办", "how do I track my parcel", "can I change the address on my order", "退款多久到账",
      "涂层容易刮花吗", "充电宝会不会鼓包", "今天下单明天能到吗", "用久了吸力会变小吗", "will the battery get weaker over time?", "does the lid drip when you pour?",
    ]) expect(isOrderProblem(question), question).toBe(false);
    expect(isPersonalCase("tracking says delivered but i never got the parcel")).toBe(true);
  });

  it("knows asking for a variant the page may not list, or a trade-in, as a request for another version", () => {
    for (const question of ["do you have it in kids sizes", "does it come in pink", "有没有婴儿床尺寸的", "有儿童款吗", "有手摇款的吗", "旧水壶能折价换这个吗", "有粉色的吗"]) expect(isOfferRequest(question), question).toBe(true);
    for (const question of ["有几个口", "有涂层吗", "有没有频闪", "what sizes are there", "does it have a timer"]) expect(isOfferRequest(question), question).toBe(false);
  });

  it("tells yes/no questions about the product, zh and en", () => {
    for (const question of ["can i charge it with a solar panel", "Does it have a mic?", "能给电动车充电吗", "能不能放烤箱", "so is it waterproof"]) expect(isYesNoQuestion(question), question).toBe(true);
    for (const question of ["how much is it", "多少钱", "what colours are there", "充满电要多久"]) expect(isYesNoQuestion(question), question).toBe(false);
  });

  it("matches nothing for a question about something the product does not list", () => {
    expect(best("does it connect to an app on my phone", kettle)).toEqual([]);
    expect(best("能用手机APP控制吗", grinder)).toEqual([]);
  });

  it("knows the kinds of fact in questions and the quantities in values", () => {
    expect(findConcepts("how heavy is it").map((hit) => hit.concept.id)).toContain("weight");
    expect(parseQuantities("25–40 平方米, 22 dB, ¥1,599, 2.6 kg").map((q) => `${q.value} ${q.dimension}`)).toEqual(["25 area", "40 area", "22 sound", "1599 money", "2.6 mass"]);
  });

  it("tells a question asking for an amount and whether an answer gives one of its kind", () => {
    expect(asksQuantity("how many packets are in a box?")).toBe(true);
    expect(asksQuantity("这个能给手机充几次")).toBe(true);
    expect(asksQuantity("I'm 1m83, will I fit lying down in there?")).toBe(true);
    expect(asksQuantity("is it dishwasher safe?")).toBe(false);
    expect(asksQuantity("几乎每天用，耐用吗")).toBe(false);
    expect(givesQuantity("how many packets are in a box?", "The box of 12 sachets lasts about a year.")).toBe(true);
    expect(givesQuantity("这个能给手机充几次", "大约能给普通手机充满四次。")).toBe(true);
    expect(givesQuantity("how many packets are in a box?", "Keep the box dry.")).toBe(false);
    // A stated amount wants one of its kind: a length for "28cm", not a weight.
    expect(givesQuantity("my mattress is 28cm thick, will it go over it", "For mattresses up to 30 cm deep.")).toBe(true);
    expect(givesQuantity("im about 110kg, will this chair hold me?", "It packs down to 38 × 12 cm.")).toBe(false);
  });

  it("tells the kind of amount an interrogative asks for, and an answer that gives none of it", () => {
    expect(askedKinds("开到最亮能撑多久")).toEqual(["time"]);
    expect(askedKinds("how heavy is the pot with the lid on")).toEqual(["mass"]);
    expect(askedKinds("how loud is it when it boils? like how many dB")).toEqual(["sound"]);
    // "how long" is a time only when something takes or lasts it.
    expect(askedKinds("how long is the cable")).toEqual([]);
    expect(askedKinds("how long does it take to charge")).toEqual(["time"]);
    expect(askedKinds("how many are in the box")).toEqual([]);
    expect(missesAskedKind("开到最亮能撑多久", "松溪充电露营灯的亮度：最高 600 流明。")).toBe(true);
    expect(missesAskedKind("开到最亮能撑多久", "最亮档约 5 小时，最暗档约 40 小时。")).toBe(false);
    // Times written in words or in days count: "about a year", "1–3 working days", "60-minute keep-warm".
    expect(missesAskedKind("how long does one box last", "The box of 12 sachets lasts about a year for most households.")).toBe(false);
    expect(missesAskedKind("how long until I get my money back", "We issue the refund within 1–3 working days.")).toBe(false);
    expect(missesAskedKind("how long will it keep it hot", "Temperature control: 40–100 °C, 60-minute keep-warm.")).toBe(false);
    expect(missesAskedKind("how long does it take to pitch", "Pitch it in about five minutes.")).toBe(false);
    expect(missesAskedKind("多久能充满", "约两个小时充满。")).toBe(false);
    // Words that only look like asking for an amount, or like a unit.
    expect(askedKinds("多重过滤能用多久")).toEqual(["time"]);
    expect(askedKinds("好几天没电了正常吗")).toEqual([]);
    expect(askedKinds("能承受多高的温度")).toEqual([]);
    expect(parseQuantities("适合 3周岁以上，4天线设计，7 天无理由，12-month warranty").map((q) => `${q.value} ${q.unit}`)).toEqual(["7 天", "12 month"]);
    // An amount asked in a unit, the catalog's or not, asks for that unit's kind; a shopper's own units are read too.
    expect(askedKinds("how many pounds is the board?")).toEqual(["mass"]);
    expect(askedKinds("板子有几公分厚")).toEqual(["length"]);
    expect(askedKinds("一次能装多少毫升")).toEqual(["volume"]);
    expect(askedKinds("一天用多少度电")).toEqual([]);
    expect(parseQuantities("my counter is 16 inches deep and I can lift 5 lbs").map((q) => `${q.value} ${q.unit} ${q.dimension}`)).toEqual(["16 inches length", "5 lbs mass"]);
    // How often is a time too: "每月", "once a month".
    expect(missesAskedKind("多久要抹一次油", "每月用食品级白矿油擦一遍。")).toBe(false);
    expect(missesAskedKind("how often should i oil it", "Oil it once a month.")).toBe(false);
    // A question stating amounts of its own is weighed by givesQuantity instead.
    expect(missesAskedKind("im 110kg, how heavy can the load be", "It packs down to 38 × 12 cm.")).toBe(false);
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
    for (const question of ["How much does it cost?", "is it dishwasher safe", "这个多少钱", "有几个档位", "how many hours with noise cancelling on?"]) expect(isStoreTopic(question), question).toBe(false);
  });
});
