import { describe, expect, it } from "vitest";
import { focusCoverage, questionFocus } from "../../src/answering/question-focus.ts";
import { toCatalogProduct } from "../../src/catalog/product.ts";

const grinder = toCatalogProduct({
  sku: "T-APL-1",
  lang: "zh",
  name: "松溪锥刀电动磨豆机",
  category: "厨房小电",
  price: 699,
  currency: "CNY",
  launchDate: "2026-01-01",
  attributes: { 尺寸: "13 × 18 × 36 厘米", 噪音: "约 70 分贝" },
  description: "",
});
const fact = (label: string) => grinder.facts.find((candidate) => candidate.label === label)!;
const said = (label: string) => ({ facts: [fact(label)], text: `${fact(label).label} ${fact(label).value}` });

describe("the question's focus and whether an answer speaks to it", () => {
  it("leaves out the product's own name, stopwords and question frame words (zh, Han bigrams)", () => {
    const focus = questionFocus("磨豆的时候声音有多大，具体多少分贝", `${grinder.name} ${grinder.category}`);
    const words = focus.map((word) => word.word);
    expect(words).toEqual(expect.arrayContaining(["声音", "分贝"]));
    for (const frame of ["磨豆", "多大", "时候", "具体", "多少"]) expect(words).not.toContain(frame);
    expect(focus.find((word) => word.word === "分贝")?.concepts.map((concept) => concept.id)).toContain("noise");
  });

  it("counts a fact of the kind asked as speaking to its phrasing, another kind not (zh)", () => {
    const focus = questionFocus("磨豆的时候声音有多大，具体多少分贝", `${grinder.name} ${grinder.category}`);
    expect(focusCoverage(focus, said("尺寸"))).toBe(0);
    expect(focusCoverage(focus, said("噪音"))).toBeGreaterThan(0);
  });

  it("joins only Han characters side by side into a word the dictionary lacks, not across a stopword (zh)", () => {
    const words = questionFocus("耳机盒能放无线充电板上吗", "松溪无线耳机 数码").map((word) => word.word);
    expect(words).not.toContain("盒放");
  });

  it("leaves out an amount counted in a Chinese numeral and the product named with a noun suffix (zh)", () => {
    expect(questionFocus("保鲜盒一套几个", "松溪高硼硅玻璃保鲜盒 5 件套 厨具").map((word) => word.word)).not.toContain("一套");
    expect(questionFocus("毯子多大", "松溪美丽诺羊毛盖毯 家纺", "松溪美丽诺羊毛盖毯").map((word) => word.word)).toEqual([]);
    expect(questionFocus("杯子漏水吗", "松溪真空保温杯 户外", "松溪真空保温杯").map((word) => word.word)).not.toContain("杯子");
    // A part the name mentions, or a word of the category, is still asked about.
    expect(questionFocus("篮子能拆下来洗吗", "松溪双篮空气炸锅 8 升 厨房小电", "松溪双篮空气炸锅 8 升").map((word) => word.word)).toContain("篮子");
    expect(questionFocus("是电子控温的吗", "松溪电水壶 厨房小电", "松溪电水壶").map((word) => word.word)).toContain("电子");
  });

  it("leaves out 'available', which frames what is asked for (en)", () => {
    expect(questionFocus("what shades is it available in?", "Insulated Bottle Outdoor").map((word) => word.word)).not.toContain("available");
  });

  it("counts the answer's own words, not the product's name (en)", () => {
    const focus = questionFocus("can I clamp it to the desk", "Pinebrook Dimmable LED Desk Lamp Home & Living");
    expect(focus.map((word) => word.word)).toEqual(["clamp"]);
    expect(focusCoverage(focus, { facts: [], text: "A desk lamp launched in November 2026 for studying, home offices and reading." })).toBe(0);
    expect(focusCoverage(focus, { facts: [], text: "The clamp fits desktops up to 5 cm thick." })).toBe(1);
  });

  it("reads a phrasing inside a longer one as part of it: the price does not answer price protection (en)", () => {
    const focus = questionFocus("if the price drops next week do i get the difference back", "Pinebrook Air Fryer");
    const difference = focus.find((word) => word.word === "difference");
    expect(difference?.topics.map((topic) => topic.id)).toContain("price-protection");
    expect(difference?.concepts).toEqual([]);
    const price = grinder.facts.find((candidate) => candidate.kind === "price")!;
    expect(focusCoverage(focus, { facts: [price], text: price.value })).toBe(0);
    expect(focusCoverage(focus, { facts: [], text: "Price protection: if the price drops within 7 days we refund the difference." })).toBeGreaterThan(0.5);
  });

  it("has nothing to hold an answer to when the question is all frame and name", () => {
    expect(questionFocus("这个磨豆机多少钱", `${grinder.name} ${grinder.category}`).length).toBeLessThanOrEqual(1);
    expect(focusCoverage([], { facts: [], text: "" })).toBe(1);
  });

  it("leaves out the unit an amount is asked in and colloquial question words", () => {
    // "pounds" asks how the weight is given; the kind of amount is weighed by the quantities.
    expect(questionFocus("how many pounds is the board?", "Walnut Cutting Board Kitchen").map((word) => word.word)).toEqual([]);
    expect(questionFocus("板子有几公分厚", "").map((word) => word.word)).not.toContain("公分");
    // 啥 and 咋 ask like 什么 and 怎么: "用啥油" is not a word "啥油" an answer must use.
    expect(questionFocus("用啥油", "").map((word) => word.word)).toEqual([]);
  });

  it("counts a Han word as spoken to by its bigram with the character beside it, where the segmenter cut the answer's word apart", () => {
    const focus = questionFocus("冲完多久能装回去", "");
    expect(focus.map((word) => word.word)).toContain("回去");
    expect(focusCoverage(focus, { facts: [], text: "晾干至少 24 小时后再装回。" })).toBeGreaterThan(0);
    expect(focusCoverage(focus, { facts: [], text: "滤网每月清理一次。" })).toBe(0);
    // Not across a function character: 了 of "盖了几天" joins nothing.
    expect(questionFocus("盖了几天", "").flatMap((word) => word.terms)).not.toContain("了几");
  });

  it("counts a model code as a word of the focus however short", () => {
    const focus = questionFocus("i've got the older E1 not the E2, will these go on?", "");
    expect(focus.map((word) => word.word)).toEqual(expect.arrayContaining(["e1", "e2"]));
    expect(focusCoverage(focus, { facts: [], text: "They fit both SoundNest E1 and SoundNest E2 earbuds." })).toBeGreaterThanOrEqual(0.5);
  });
});
