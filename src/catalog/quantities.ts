import { QUANTITY_QUESTION } from "./fact-lexicon.ts";

/**
 * Quantities in catalog values ("26 cm", "2.6 千克", "22 dB", "¥1,599"), typed by what they
 * measure, so facts can be found by the kind of thing a shopper asks about ("how heavy" → mass) and
 * compared or filtered later (price, noise, room size) without parsing text again.
 */
export const DIMENSIONS = ["length", "mass", "volume", "power", "sound", "charge", "energy", "voltage", "current", "time", "area", "temperature", "light", "money", "airflow"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export type Quantity = { value: number; unit: string; dimension: Dimension };

/** Units as catalogs write them in en and zh; longer spellings first so "毫升" wins over "升". */
const UNITS: [string, Dimension][] = [
  ["m³/h", "airflow"], ["立方米/小时", "airflow"],
  ["平方米", "area"], ["平米", "area"], ["m²", "area"], ["sq m", "area"], ["平", "area"],
  ["毫米", "length"], ["厘米", "length"], ["公分", "length"], ["mm", "length"], ["cm", "length"], ["米", "length"], ["m", "length"],
  ["千克", "mass"], ["公斤", "mass"], ["斤", "mass"], ["kg", "mass"], ["克", "mass"], ["g", "mass"],
  ["毫升", "volume"], ["ml", "volume"], ["升", "volume"], ["L", "volume"],
  ["瓦时", "energy"], ["Wh", "energy"], ["瓦", "power"], ["W", "power"],
  ["分贝", "sound"], ["dB", "sound"],
  ["毫安时", "charge"], ["mAh", "charge"],
  ["伏", "voltage"], ["V", "voltage"], ["安", "current"], ["A", "current"],
  ["小时", "time"], ["hours", "time"], ["hour", "time"], ["分钟", "time"], ["minutes", "time"], ["秒", "time"], ["seconds", "time"], ["年", "time"], ["years", "time"], ["year", "time"], ["个月", "time"], ["months", "time"],
  ["°C", "temperature"], ["℃", "temperature"], ["度", "temperature"],
  ["流明", "light"], ["lm", "light"], ["勒克斯", "light"], ["lx", "light"],
];

/** How many of its dimension's base unit (cm, g, ml, minutes) a unit holds, to compare amounts written in different units; 1 when not listed. */
const SCALE: Record<string, number> = {
  毫米: 0.1, mm: 0.1, 米: 100, m: 100,
  千克: 1000, 公斤: 1000, kg: 1000, 斤: 500,
  升: 1000, L: 1000,
  小时: 60, hours: 60, hour: 60, 秒: 1 / 60, seconds: 1 / 60, 年: 525_600, years: 525_600, year: 525_600, 个月: 43_800, months: 43_800,
};
const inBase = (value: number, unit: string) => value * (SCALE[unit] ?? 1);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)`;
const UNIT_PATTERN = new RegExp(
  String.raw`${NUMBER}\s*(?:[–-]\s*${NUMBER}\s*)?(${UNITS.map(([unit]) => escape(unit)).join("|")})(?![A-Za-z])`,
  "g",
);
const MONEY_PATTERN = new RegExp(String.raw`(?:¥|CNY\s?|RMB\s?)${NUMBER}|${NUMBER}\s*(?:元|块)`, "g");

const parseNumber = (text: string) => Number(text.replaceAll(",", ""));

/** Every quantity written in a text, in order; a range "25–40 m²" gives both ends. */
export function parseQuantities(text: string): Quantity[] {
  const found: { at: number; quantity: Quantity }[] = [];
  const normalized = text.normalize("NFKC").replace(/°\s*C/g, "°C");
  for (const match of normalized.matchAll(UNIT_PATTERN)) {
    const unit = match[3]!;
    const dimension = UNITS.find(([name]) => name === unit)![1];
    found.push({ at: match.index, quantity: { value: parseNumber(match[1]!), unit, dimension } });
    if (match[2]) found.push({ at: match.index + 0.5, quantity: { value: parseNumber(match[2]), unit, dimension } });
  }
  for (const match of normalized.matchAll(MONEY_PATTERN)) {
    found.push({ at: match.index, quantity: { value: parseNumber(match[1] ?? match[2]!), unit: "CNY", dimension: "money" } });
  }
  return found.sort((a, b) => a.at - b.at).map((item) => item.quantity);
}

/** A number written in digits, as a Chinese numeral with a counter ("四次", "两个"), or as an English word. */
const ANY_NUMBER = /\d|[一二两三四五六七八九十百千万]\s*(?:个|次|件|只|人|口|档|种|年|天|周|小时|分钟|升|斤|米|层|双|套|片|包|袋|张|瓶|支)|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen)\b/i;

/**
 * The question asks for an amount ("how many…", "多少", "几次") or states one the answer must
 * measure against ("I'm 1m83, will I fit", "my mattress is 28cm thick").
 */
export function asksQuantity(question: string): boolean {
  const text = question.normalize("NFKC").toLowerCase();
  return QUANTITY_QUESTION.some((pattern) => pattern.test(text)) || parseQuantities(question).length > 0;
}

/**
 * Whether an answer gives the amount a question asks for: a quantity of what the question states
 * ("28cm" wants a length, "110kg" a mass), or any number when it states none ("充几次" → "4 次").
 */
export function givesQuantity(question: string, answer: string): boolean {
  const stated = new Set(parseQuantities(question).map((quantity) => quantity.dimension));
  if (stated.size > 0) return parseQuantities(answer).some((quantity) => stated.has(quantity.dimension));
  return ANY_NUMBER.test(answer.normalize("NFKC"));
}

/**
 * What a question counts in, when it asks for a number of something ("够几个人吃" → people,
 * "能充几次" → times, "how many minutes" → minutes): a pattern of a number stated in that counter,
 * in zh and en, which a right answer holds. Null when the question asks for no counted amount, or
 * for one in a unit of measure (those are parseQuantities' dimensions).
 */
export function askedCount(question: string): RegExp | null {
  const text = question.normalize("NFKC").toLowerCase();
  for (const { asked, stated } of COUNTERS) if (asked.test(text)) return stated;
  return null;
}

const COUNT = String.raw`(?:\d+(?:\.\d+)?(?:\s*[–~-]\s*\d+(?:\.\d+)?)?|[一二两三四五六七八九十]+(?:\s*[到至~-]\s*[一二两三四五六七八九十]+)?)`;
const COUNTERS: { asked: RegExp; stated: RegExp }[] = [
  {
    asked: /几(?:个|口)?人|多少(?:个)?人|\bhow many (?:people|persons|ppl|servings|portions)\b|\bfeeds? how many\b/,
    stated: new RegExp(String.raw`${COUNT}\s*(?:个)?(?:人|口人|人份)|\b(?:serves?|feeds?|for) ${COUNT}\b|${COUNT}\s*(?:people|persons|servings|portions)\b`),
  },
  { asked: /几次|多少次|\bhow many (?:times|charges|full charges)\b/, stated: new RegExp(String.raw`${COUNT}\s*(?:次|times|full charges|charges)`) },
];

/**
 * How many of the amounts a question states fall within a range, or equal a value, that a text
 * writes in the same kind of unit: "I'm 178cm with a 100cm chest" against a size row "L 98–104 cm,
 * 174–180 cm" holds two, against "XS 80–86 cm, 155–162 cm" none. The row for the shopper's own
 * measurements is the one holding most.
 */
export function statedWithin(question: string, text: string): number {
  const stated = parseQuantities(question);
  const normalized = text.normalize("NFKC");
  const spans: { low: number; high: number; dimension: Dimension }[] = [];
  for (const match of normalized.matchAll(UNIT_PATTERN)) {
    const unit = match[3]!;
    const dimension = UNITS.find(([name]) => name === unit)![1];
    const low = inBase(parseNumber(match[1]!), unit);
    const high = match[2] ? inBase(parseNumber(match[2]), unit) : low;
    spans.push({ low: Math.min(low, high), high: Math.max(low, high), dimension });
  }
  return stated.filter((quantity) => {
    const value = inBase(quantity.value, quantity.unit);
    return spans.some((span) => span.dimension === quantity.dimension && value >= span.low && value <= span.high);
  }).length;
}
