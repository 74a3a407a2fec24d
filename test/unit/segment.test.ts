import { describe, expect, it } from "vitest";
import { contentWords, detectLanguage, lexicalTerms, segmentSentences, segmentWords } from "../../src/text/segment.ts";

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
});
