import { withBodyUnits, withDigits } from "../text/numerals.ts";
import { QUANTITY_QUESTION } from "./fact-lexicon.ts";

/**
 * Quantities in catalog values ("26 cm", "2.6 千克", "22 dB", "¥1,599"), typed by what they
 * measure, so facts can be found by the kind of thing a shopper asks about ("how heavy" → mass) and
 * compared or filtered later (price, noise, room size) without parsing text again.
 */
export const DIMENSIONS = ["length", "mass", "volume", "power", "sound", "charge", "energy", "voltage", "current", "time", "area", "temperature", "light", "money", "airflow"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export type Quantity = { value: number; unit: string; dimension: Dimension };

/** Units as catalogs and shoppers write them in en and zh; longer spellings first so "毫升" wins over "升". */
const UNITS: [string, Dimension][] = [
  ["m³/h", "airflow"], ["立方米/小时", "airflow"],
  ["平方米", "area"], ["平米", "area"], ["m²", "area"], ["sq m", "area"], ["平", "area"],
  ["英寸", "length"], ["inches", "length"], ["inch", "length"], ["feet", "length"], ["ft", "length"], ["pounds", "mass"], ["pound", "mass"], ["lbs", "mass"], ["lb", "mass"], ["磅", "mass"],
  ["毫米", "length"], ["厘米", "length"], ["公分", "length"], ["mm", "length"], ["cm", "length"], ["米", "length"], ["m", "length"],
  ["千克", "mass"], ["公斤", "mass"], ["斤", "mass"], ["kg", "mass"], ["克", "mass"], ["g", "mass"],
  ["毫升", "volume"], ["ml", "volume"], ["升", "volume"], ["L", "volume"],
  ["瓦时", "energy"], ["Wh", "energy"], ["瓦", "power"], ["W", "power"],
  ["分贝", "sound"], ["dB", "sound"],
  ["毫安时", "charge"], ["mAh", "charge"],
  ["伏", "voltage"], ["V", "voltage"], ["安", "current"], ["A", "current"],
  ["小时", "time"], ["hours", "time"], ["hour", "time"], ["分钟", "time"], ["minutes", "time"], ["minute", "time"], ["秒", "time"], ["seconds", "time"], ["年", "time"], ["years", "time"], ["year", "time"], ["个月", "time"], ["months", "time"],
  ["个工作日", "time"], ["工作日", "time"], ["working days", "time"], ["business days", "time"], ["天", "time"], ["days", "time"], ["day", "time"], ["周", "time"], ["weeks", "time"], ["week", "time"], ["month", "time"],
  ["°C", "temperature"], ["℃", "temperature"], ["度", "temperature"],
  ["流明", "light"], ["lm", "light"], ["勒克斯", "light"], ["lx", "light"],
];

/** How many of its dimension's base unit (cm, g, ml, minutes) a unit holds, to compare amounts written in different units; 1 when not listed. */
const SCALE: Record<string, number> = {
  毫米: 0.1, mm: 0.1, 米: 100, m: 100, 英寸: 2.54, inches: 2.54, inch: 2.54, feet: 30.48, ft: 30.48,
  pounds: 453.6, pound: 453.6, lbs: 453.6, lb: 453.6, 磅: 453.6,
  千克: 1000, 公斤: 1000, kg: 1000, 斤: 500,
  升: 1000, L: 1000,
  小时: 60, hours: 60, hour: 60, 秒: 1 / 60, seconds: 1 / 60, 年: 525_600, years: 525_600, year: 525_600, 个月: 43_800, months: 43_800,
  天: 1_440, days: 1_440, day: 1_440, 工作日: 1_440, 个工作日: 1_440, "working days": 1_440, "business days": 1_440, minute: 1, month: 43_800, 周: 10_080, weeks: 10_080, week: 10_080,
};
const inBase = (value: number, unit: string) => value * (SCALE[unit] ?? 1);

/** A Chinese unit that is the first character of another word: 3周岁 is an age, 4天线 antennas, not weeks or days. */
const NOT_A_UNIT = String.raw`(?<!周(?=[岁年边]))(?<!天(?=[线然猫窗气空花]))`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)`;
const UNIT_PATTERN = new RegExp(
  String.raw`${NUMBER}\s*(?:[–-]\s*${NUMBER}\s*)?-?(${UNITS.map(([unit]) => escape(unit)).join("|")})(?![A-Za-z])${NOT_A_UNIT}`,
  "g",
);
const MONEY_PATTERN = new RegExp(String.raw`(?:¥|CNY\s?|RMB\s?)${NUMBER}|${NUMBER}\s*(?:元|块)`, "g");

const parseNumber = (text: string) => Number(text.replaceAll(",", ""));

/** Every quantity written in a text, in order; a range "25–40 m²" gives both ends. */
export function parseQuantities(text: string): Quantity[] {
  const found: { at: number; quantity: Quantity }[] = [];
  const normalized = withBodyUnits(withDigits(text.normalize("NFKC"))).replace(/°\s*C/g, "°C");
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
 * The kinds of amount a question's own interrogative asks for ("多久" a time, "how heavy" a mass,
 * "how much is it" a price); none for an interrogative that names no kind ("多少", "how many").
 * "how long" is a time only when it asks how long something takes or lasts, not "how long is the cable".
 */
const ASKED_KINDS: { asked: RegExp; dimension: Dimension }[] = [
  { asked: /多久|多长时间|(?<![好这那前])几个?(?:小时|钟头)|(?<![好这那前])几分钟|(?<![好这那前])几天|\bhow often\b|\bhow long (?:does|do|will|would|can|could|to|till|until|before|it takes?|will it)\b|\bhow many (?:hours|minutes|days|weeks|years)\b/, dimension: "time" },
  { asked: /多重(?!过滤|防护|保护|功能|净化)|几斤|几公斤|多少斤|多少公斤|\bhow heavy\b|\bhow much does (?:it|this|that|the \w+) weigh\b/, dimension: "mass" },
  { asked: /\bhow hot\b|最高(?:能)?(?:到|开|耐)?多少度|耐多少度/, dimension: "temperature" },
  { asked: /多少分贝|\bhow loud\b|\bhow many (?:db|decibels)\b/, dimension: "sound" },
  { asked: /几瓦|多少瓦|多大功率|\bhow many (?:watts|w)\b/, dimension: "power" },
  { asked: /多宽|多深|多厚|多高(?!的?温)|\bhow (?:wide|deep|thick|tall)\b/, dimension: "length" },
];

/**
 * Units a shopper asks in, catalog units or not ("how many pounds is it", "多少公分", "几毫升"): the
 * kind of amount the unit measures. Ounces and 寸 are left out (a weight or a cup, an inch or a
 * Chinese cun).
 */
const ASKED_UNITS: { en: string; zh: string; dimension: Dimension }[] = [
  { en: "pounds|lbs?|kilos?|kilograms?|kgs?|grams?", zh: "斤|公斤|千克|克|磅", dimension: "mass" },
  { en: "inch(?:es)?|feet|foot|ft|cm|centimet(?:er|re)s?|mm|millimet(?:er|re)s?|met(?:er|re)s?", zh: "公分|厘米|毫米|英寸|米", dimension: "length" },
  { en: "lit(?:er|re)s?|ml|millilit(?:er|re)s?|gallons?", zh: "毫升|升", dimension: "volume" },
  { en: "watts?", zh: "瓦", dimension: "power" },
  { en: "mah", zh: "毫安", dimension: "charge" },
  { en: "degrees?", zh: "度", dimension: "temperature" },
];
const ASKED_IN_UNITS = ASKED_UNITS.map(({ en, zh, dimension }) => ({
  asked: new RegExp(String.raw`\bhow (?:many|much) (?:[a-z]+ )?(?:${en})\b|(?:多少|几)(?:个)?(?:${zh})(?![电饭色])`),
  dimension,
}));

/**
 * Where a question asks for an amount in a unit ("how many pounds", "几公分"): the unit there is
 * how the amount is asked, not what about; the kind of amount is weighed by missesAskedKind.
 */
export function unitAskSpans(text: string): { start: number; end: number }[] {
  return ASKED_IN_UNITS.flatMap(({ asked }) => [...text.matchAll(new RegExp(asked.source, "g"))].map((match) => ({ start: match.index, end: match.index + match[0].length })));
}

export function askedKinds(question: string): Dimension[] {
  const text = question.normalize("NFKC").toLowerCase();
  const kinds = [...ASKED_KINDS, ...ASKED_IN_UNITS].filter(({ asked }) => asked.test(text)).map(({ dimension }) => dimension);
  return [...new Set(kinds)];
}

/**
 * The question's interrogative asks for a kind of amount ("开到最亮能撑多久": a time) that the
 * answer gives none of ("最高 600 流明" is a brightness): whatever else it says, it does not answer.
 * False when the question asks no kind, or states amounts of its own (givesQuantity weighs those).
 */
export function missesAskedKind(question: string, answer: string): boolean {
  const kinds = askedKinds(question);
  if (kinds.length === 0 || parseQuantities(question).length > 0) return false;
  if (kinds.includes("time") && TIME_IN_WORDS.test(answer.normalize("NFKC"))) return false;
  return !parseQuantities(answer).some((quantity) => kinds.includes(quantity.dimension));
}

/** A time written in words, or how often: "about five minutes", "half an hour", "两个小时", "半年", "next business day", "every month", "每月". */
const TIME_IN_WORDS =
  /\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|half an?|a few|a couple of|couple of|several)[\s-]+(?:years?|months?|weeks?|days?|nights?|hours?|minutes?|mins?|seconds?)\b|\b(?:next|same)[\s-](?:business |working )?day\b|[一二两三四五六七八九十半]+\s*个?(?:年|月|星期|礼拜|周|天|小时|钟头|分钟|秒)|\b(?:daily|weekly|monthly|yearly|annually|every (?:day|week|month|year)|once a (?:day|week|month|year))\b|每(?:个)?[天日周月年]|每隔/i;

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
  const normalized = withBodyUnits(withDigits(text.normalize("NFKC")));
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
