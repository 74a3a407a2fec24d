import { describe, expect, it } from "vitest";
import { contentWords, detectLanguage, lexicalTerms, searchTerms, segmentSentences, segmentWords } from "../../src/text/segment.ts";
import { hasTraditional, toSimplified } from "../../src/text/simplify.ts";

describe("segmentation", () => {
  it("splits Chinese into words with no dictionary package", () => {
    const words = segmentWords("这款电水壶的保修期是多久？");
    expect(words).toContain("水壶");
    expect(words).not.toContain("？");
    expect(words.join("")).toBe("这款电水壶的保修期是多久");
  });

  it("adds Han bigrams to lexical terms so differently segmented words still meet", () => {
    expect(lexicalTerms(["保", "修期", "usb"]).sort()).toEqual(["usb", "保", "保修", "修期", "修期"].sort());
  });

  it("normalises width and case in English and mixed text", () => {
    expect(segmentWords("ＧＰＳ Watch, USB-C!")).toEqual(["gps", "watch", "usb", "c"]);
    expect(segmentWords("Echo耳机续航40小时")).toEqual(expect.arrayContaining(["echo", "40"]));
  });

  it("drops stopwords from content words in both languages", () => {
    expect(contentWords("What is the battery life of the headphones?")).toEqual(["battery", "life", "headphones"]);
    expect(contentWords("请问这个耳机的续航是多久")).toEqual(expect.arrayContaining(["耳机", "续航"]));
    expect(contentWords("请问这个耳机的续航是多久")).not.toContain("的");
  });

  it("splits sentences in both languages", () => {
    expect(segmentSentences("It boils fast. It is quiet!")).toEqual(["It boils fast.", "It is quiet!"]);
    expect(segmentSentences("烧水很快。声音很小！")).toEqual(["烧水很快。", "声音很小！"]);
  });

  it("detects the language of a question", () => {
    expect(detectLanguage("多久能送到？")).toBe("zh");
    expect(detectLanguage("Echo 耳机续航多久")).toBe("zh");
    expect(detectLanguage("How long is the warranty on the 电水壶?")).toBe("en");
    expect(detectLanguage("12345")).toBe("en");
  });

  it("searches the bigrams of a whole Han run, not of what is left once particles are dropped", () => {
    // 吧 alone is a particle, but 木制吧台 asks for a 吧台 (bar counter): no 制台 spanning the gap.
    const terms = searchTerms("木制吧台");
    expect(terms).toEqual(expect.arrayContaining(["木制", "吧台", "制吧"]));
    expect(terms).not.toContain("制台");
    expect(terms).not.toContain("吧");
  });

  it("searches no stopwords, each term once, unless the question is nothing else", () => {
    const terms = searchTerms("这个多少钱？这个");
    expect(terms).not.toContain("这个");
    expect(terms).toContain("多少");
    expect(new Set(terms).size).toBe(terms.length);
    expect(searchTerms("what is it")).toEqual(["what", "is", "it"]);
    expect(searchTerms("What is the battery life?")).toEqual(["battery", "life"]);
  });
});

describe("traditional Chinese", () => {
  it("folds traditional characters and Taiwan wording to simplified, and leaves simplified text alone", () => {
    const cases: [string, string][] = [
      ["電競鍵盤滑鼠", "电竞键盘鼠标"],
      ["軟體支援", "软件支持"],
      // 支援 is simplified too: text without a traditional character is not rephrased.
      ["这款软件支援中文", "这款软件支援中文"],
      // 吃 and 才 are in Taiwan's variant table, yet simplified.
      ["床垫才到，能吃吗", "床垫才到，能吃吗"],
      ["Kettle 1.7L", "Kettle 1.7L"],
    ];
    for (const [text, simplified] of cases) expect(toSimplified(text)).toBe(simplified);
    expect([hasTraditional("這個"), hasTraditional("这个 kettle")]).toEqual([true, false]);
  });

  it("indexes traditional text under simplified terms, so either script finds the other", () => {
    expect(lexicalTerms(segmentWords("電競鍵盤"))).toEqual(expect.arrayContaining(["电竞", "键盘", "竞键"]));
    expect(lexicalTerms(segmentWords("電競鍵盤")).join(" ")).not.toMatch(/[電競鍵盤]/u);
    expect(lexicalTerms(segmentWords("电竞键盘"))).toEqual(lexicalTerms(segmentWords("電競鍵盤")));
  });

  it("searches a traditional question's simplified terms and its own", () => {
    const terms = searchTerms("電競滑鼠多少錢");
    expect(terms).toEqual(expect.arrayContaining(["电竞", "鼠标", "多少", "電競", "滑鼠"]));
    expect(searchTerms("這個")).toEqual(expect.arrayContaining(["這個"]));
    expect(searchTerms("這個電競滑鼠")).not.toContain("這個");
  });
});
