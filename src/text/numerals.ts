/*
 * Amounts as shoppers write them, read like amounts in digits: Chinese numerals ("两百斤", "一米七五",
 * "三十公分", "一千二百毫升" → "200斤", "1.75米", "30公分", "1200毫升") and body measurements given
 * without a unit ("身高170", "胸围一百", "chest 100" → centimetres; "体重60" → kilograms).
 */
const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** Units of measure and money; not times ("用了两年", "开了一天" tell a situation more often than an amount asked). */
const UNITS = ["公斤", "千克", "斤", "克", "毫米", "厘米", "公分", "英寸", "寸", "米", "毫升", "升", "瓦", "度", "平米", "平方", "平", "元", "块", "磅"];
/** The names of body measurements a shopper states: lengths in centimetres, and the weight. */
const BODY_LENGTHS = ["身高", "胸围", "腰围", "臀围", "肩宽", "脚长"];
const BODY_LENGTHS_EN = ["height", "chest", "waist", "hips"];
/** At most twelve characters: no amount is written longer, and a run of numerals is then read in linear time. */
const NUMERAL = "[零〇一二两三四五六七八九十百千万]{1,12}";
/** A numeral followed by a unit, or after a body measurement's name ("胸围一百"): "一起", "一下", "一次" stay as they are. */
const AMOUNT = new RegExp(`(${NUMERAL})(?=(?:${UNITS.join("|")}))|(?<=${[...BODY_LENGTHS, "体重"].join("|")})(${NUMERAL})`, "gu");
/** A height the way it is said: 一米七五 is 1.75 米, 一米八 1.8 米. */
const HEIGHT = /([一两])米([一二三四五六七八九])([一二三四五六七八九])?(?![零〇一二两三四五六七八九十百千万个])/gu;

/** The value of a Chinese numeral ("两百" 200, "一百五" 150, "十二" 12, "三千二" 3200), or null. */
export function numeralValue(numeral: string): number | null {
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  let lastScale = 1;
  let zero = false;
  for (const character of numeral) {
    if (character === "零" || character === "〇") {
      zero = true;
      continue;
    }
    if (character in DIGITS) {
      digit = DIGITS[character]!;
      continue;
    }
    const scale = character === "十" ? 10 : character === "百" ? 100 : character === "千" ? 1000 : character === "万" ? 10_000 : 0;
    if (scale === 0) return null;
    if (scale === 10_000) {
      // 万 alone is ten thousand; after other places it multiplies all of them (一千二百万).
      total = (total + section + (digit ?? (total === 0 && section === 0 ? 1 : 0))) * 10_000;
      section = 0;
    } else section += (digit ?? 1) * scale;
    digit = null;
    lastScale = scale;
  }
  // A digit after a hundred or a thousand counts in the next place down: 一百五 is 150, 两千三 2300.
  // After 零 it counts as itself: 一百零五 is 105.
  if (digit !== null) section += lastScale >= 100 && !zero ? digit * (lastScale / 10) : digit;
  const value = total + section;
  return Number.isFinite(value) && numeral.length > 0 ? value : null;
}

/** A text with its amounts in Chinese numerals written in digits. */
export function withDigits(text: string): string {
  return text
    .replace(HEIGHT, (_, metres: string, tenths: string, hundredths: string | undefined) => `${DIGITS[metres]}.${DIGITS[tenths]}${hundredths ? DIGITS[hundredths] : ""}米`)
    .replace(AMOUNT, (numeral: string) => {
      const value = numeralValue(numeral);
      return value === null ? numeral : String(value);
    });
}

/** A body measurement stated without its unit ("身高170", "胸围95左右", "chest 100"), and the unit it is given in. */
const BODY = [
  { pattern: new RegExp(String.raw`(${BODY_LENGTHS.join("|")}|\b(?:${BODY_LENGTHS_EN.join("|")})\s*(?:is\s*)?)(\d{2,3}(?:\.\d)?)(?!\s*(?:\d|\.|厘米|公分|cm|mm|米|m\b|斤|公斤|kg))`, "giu"), unit: "厘米" },
  { pattern: /(体重|\bweight\s*(?:is\s*)?)(\d{2,3}(?:\.\d)?)(?!\s*(?:\d|\.|斤|公斤|千克|kg|lb|磅))/giu, unit: "公斤" },
];

/** A body measurement's name with the amount stated after it ("身高170", "chest 100cm"): what the amount is, measured by its ranges, not a word an answer must use. */
export const STATED_MEASURE = new RegExp(String.raw`(${[...BODY_LENGTHS, "体重"].join("|")}|\b(?:${[...BODY_LENGTHS_EN, "weight"].join("|")}))\s*(?:is\s*)?(?=\d|[一二两三四五六七八九十百])`, "giu");

/** A height written "1米75": 1.75 米. */
const METRES_AND = /\b([12])米(\d)(\d)?(?![\d.])/gu;

/** A text with its body measurements given in their units: "身高170" → "身高170厘米", "1米75" → "1.75米". */
export function withBodyUnits(text: string): string {
  let result = text.replace(METRES_AND, (_, metres: string, tenths: string, hundredths: string | undefined) => `${metres}.${tenths}${hundredths ?? ""}米`);
  for (const { pattern, unit } of BODY) result = result.replace(pattern, (_, label: string, amount: string) => `${label}${amount}${unit}`);
  return result;
}
