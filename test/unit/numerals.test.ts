import { describe, expect, it } from "vitest";
import { numeralValue, withBodyUnits, withDigits } from "../../src/text/numerals.ts";
import { questionFocus } from "../../src/answering/question-focus.ts";
import { parseQuantities } from "../../src/catalog/quantities.ts";

describe("amounts in Chinese numerals", () => {
  it("reads a numeral's value, a digit after a hundred or a thousand in the next place down", () => {
    expect([numeralValue("十"), numeralValue("十五"), numeralValue("二十"), numeralValue("两百"), numeralValue("一百五"), numeralValue("一百零五"), numeralValue("三千二"), numeralValue("一万二千"), numeralValue("万"), numeralValue("一千二百万")]).toEqual([10, 15, 20, 200, 150, 105, 3200, 12000, 10_000, 12_000_000]);
  });

  it("writes an amount followed by a unit of measure or money in digits, and nothing else", () => {
    expect(withDigits("我两百斤能坐吗")).toBe("我200斤能坐吗");
    expect(withDigits("我一米七五，一米八的床")).toBe("我1.75米，1.8米的床");
    expect(withDigits("三十公分宽，一千二百毫升，两千三块")).toBe("30公分宽，1200毫升，2300块");
    // Times tell a situation more often than an amount asked; words that only start with a numeral stay.
    expect(withDigits("用了两年，开了一天，一起用一下，第一次")).toBe("用了两年，开了一天，一起用一下，第一次");
  });

  it("is read as an amount like one written in digits", () => {
    expect(parseQuantities("我一米八五，两百斤").map((quantity) => `${quantity.value} ${quantity.unit}`)).toEqual(["1.85 米", "200 斤"]);
  });

  it("reads a body measurement given without its unit the way shoppers give them", () => {
    expect(withBodyUnits("身高170，胸围95左右，体重60，1米75")).toBe("身高170厘米，胸围95厘米左右，体重60公斤，1.75米");
    expect(withBodyUnits("chest 100 and height 178, the 30cm one")).toBe("chest 100厘米 and height 178厘米, the 30cm one");
    expect(parseQuantities("我一米七八，胸围一百左右").map((quantity) => `${quantity.value} ${quantity.unit}`)).toEqual(["1.78 米", "100 厘米"]);
  });

  it("leaves a measurement stated, and its name, out of what the question asks about", () => {
    // Only the size asked (哪个码) is left: a size answer speaks to it.
    expect(questionFocus("我一米七八，胸围一百左右，穿哪个码合适", "").map((word) => word.word)).toEqual(["码"]);
    expect(questionFocus("我两百斤能坐吗", "").map((word) => word.word)).not.toContain("两百斤");
  });
});
