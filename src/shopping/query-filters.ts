import { normalizeText } from "../text/segment.ts";

/**
 * Filters a shopper writes into a question, read by pure functions: a price range ("under ¥300",
 * "300 元以内", "between 200 and 400") and newness ("new", "新品", "this month", "launched in
 * October"). Each parser returns what it found and the spans it used, so the rest of the question
 * can be matched against product names without the filter's words.
 */

export type PriceRange = { min: number | null; max: number | null };

/** A filter the question states but that cannot be applied as written (e.g. a negative price). */
export type FilterProblem = { kind: "price"; text: string };

export type Newness =
  | { kind: "recent" }
  /** Launched in one calendar month, "YYYY-MM". */
  | { kind: "month"; month: string }
  /** Launched on or after a date, "YYYY-MM-DD". */
  | { kind: "since"; date: string };

export type Parsed<T> = { value: T | null; spans: string[]; problem?: FilterProblem };

const NUMBER = String.raw`([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?)`;
const CURRENCY = String.raw`(?:¥|￥|rmb\s*|cny\s*)?`;
const YUAN = String.raw`\s*(?:元|块钱|块|rmb|cny|yuan)?`;
const amount = `${CURRENCY}${NUMBER}${YUAN}`;

type PricePattern = { pattern: RegExp; build: (a: number, b: number) => PriceRange };

/** Longest, most specific forms first; each is tested on the normalised question. */
const PRICE_PATTERNS: PricePattern[] = [
  { pattern: new RegExp(String.raw`between\s+${amount}\s+(?:and|to|-|–)\s+${amount}`), build: (a, b) => range(a, b) },
  { pattern: new RegExp(String.raw`(?:在\s*)?${amount}\s*(?:到|至|-|–|~|～)\s*${amount}\s*(?:之间|左右)?`), build: (a, b) => range(a, b) },
  { pattern: new RegExp(String.raw`(?:from\s+)?${amount}\s+to\s+${amount}`), build: (a, b) => range(a, b) },
  { pattern: new RegExp(String.raw`(?:under|below|less than|cheaper than|no more than|at most|max(?:imum)?|up to|within|<=?)\s*${amount}`), build: (a) => ({ min: null, max: a }) },
  { pattern: new RegExp(String.raw`(?:不超过|不到|低于|少于|小于|最多)\s*${amount}`), build: (a) => ({ min: null, max: a }) },
  { pattern: new RegExp(String.raw`${amount}\s*(?:以内|以下|之内|内)`), build: (a) => ({ min: null, max: a }) },
  { pattern: new RegExp(String.raw`(?:over|above|more than|at least|from|>=?)\s*${amount}`), build: (a) => ({ min: a, max: null }) },
  { pattern: new RegExp(String.raw`(?:超过|高于|大于|至少)\s*${amount}`), build: (a) => ({ min: a, max: null }) },
  { pattern: new RegExp(String.raw`${amount}\s*(?:以上|起)`), build: (a) => ({ min: a, max: null }) },
  { pattern: new RegExp(String.raw`${amount}\s*(?:左右|上下)`), build: (a) => ({ min: Math.round(a * 0.8), max: Math.round(a * 1.2) }) },
  { pattern: new RegExp(String.raw`(?:around|about|roughly)\s*${amount}`), build: (a) => ({ min: Math.round(a * 0.8), max: Math.round(a * 1.2) }) },
];

function range(a: number, b: number): PriceRange {
  return { min: Math.min(a, b), max: Math.max(a, b) };
}

/** A money amount written in a question: finite, not negative, and below a sane ceiling. */
function toAmount(text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = Number(text.replaceAll(",", ""));
  return Number.isFinite(value) && value >= 0 && value <= 1e9 ? value : null;
}

/** A price range stated in the question, or a problem when it names an impossible amount. */
export function parsePriceRange(question: string): Parsed<PriceRange> {
  const text = normalizeText(question);
  for (const { pattern, build } of PRICE_PATTERNS) {
    const match = pattern.exec(text);
    if (!match) continue;
    // A bare number is only a price with a currency mark or a price word around it.
    if (!/[¥￥元块]|rmb|cny|yuan|under|below|less|cheaper|between|over|above|more than|at most|at least|max|up to|within|不超过|不到|低于|少于|小于|最多|超过|高于|大于|至少|以内|以下|之内|以上|左右|上下|around|about|roughly|预算|budget/.test(text)) continue;
    // Units right after the number ("under 30 dB", "40 m²", "8 L") make it something else than money.
    if (new RegExp(String.raw`^\s*(?:db|分贝|m²|m2|平|平方|l\b|升|cm|厘米|kg|千克|公斤|g\b|克|ml|毫升|w\b|瓦|mah|people|persons|人|hours?|小时|个月|months?|years?|年|%)`).test(text.slice(match.index + match[0].length))) continue;
    const a = toAmount(match[1]);
    const b = match[2] === undefined ? 0 : toAmount(match[2]);
    if (a === null || b === null) return { value: null, spans: [match[0]], problem: { kind: "price", text: match[0].trim() } };
    return { value: build(a, b), spans: [match[0]] };
  }
  return { value: null, spans: [] };
}

const MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_EN = new RegExp(String.raw`\b(?:in|launched in|released in|from)\s+(${MONTHS_EN.join("|")})(?:\s+(\d{4}))?`);
const MONTH_ZH = /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?:份)?(?:上市|发布|推出|出的|的新品|新品|新款)/;
const THIS_MONTH = /\bthis month\b|本月|这个月|这月/;
const SINCE_YEAR = /(?:launched|released|new)\s+(?:in|this year|since)\s*(\d{4})?|(\d{4})\s*年(?:上市|发布|推出|的新品|新款)|今年(?:上市|发布|推出|的新品|新款|新出)|\bthis year\b/;
const RECENT = /\bnew(?:est)?\b(?!\s+(?:york|one for|to)\b)|\blatest\b|\bjust (?:launched|released|arrived|came out)\b|\brecently (?:launched|released|added)\b|\barrivals?\b|新品|新款|新出|新上|新到|刚上市|最新|上新|新推出|新产品/;

/** Newness the question asks for, relative to `today` ("YYYY-MM-DD"). */
export function parseNewness(question: string, today: string): Parsed<Newness> {
  const text = normalizeText(question);
  const thisMonth = THIS_MONTH.exec(text);
  if (thisMonth) return { value: { kind: "month", month: today.slice(0, 7) }, spans: [thisMonth[0]] };
  const en = MONTH_EN.exec(text);
  if (en) return { value: { kind: "month", month: monthOf(MONTHS_EN.indexOf(en[1]!) + 1, en[2], today) }, spans: [en[0]] };
  const zh = MONTH_ZH.exec(text);
  if (zh && Number(zh[2]) >= 1 && Number(zh[2]) <= 12) return { value: { kind: "month", month: monthOf(Number(zh[2]), zh[1], today) }, spans: [zh[0]] };
  const year = SINCE_YEAR.exec(text);
  if (year) return { value: { kind: "since", date: `${year[1] ?? year[2] ?? today.slice(0, 4)}-01-01` }, spans: [year[0]] };
  const recent = RECENT.exec(text);
  if (recent) return { value: { kind: "recent" }, spans: [recent[0]] };
  return { value: null, spans: [] };
}

/** "YYYY-MM" for a month named without a year: this year's, or last year's when that is still ahead. */
function monthOf(month: number, year: string | undefined, today: string): string {
  const thisYear = Number(today.slice(0, 4));
  const chosen = year ? Number(year) : month > Number(today.slice(5, 7)) ? thisYear - 1 : thisYear;
  return `${chosen}-${String(month).padStart(2, "0")}`;
}

/** Whether a launch date meets the newness asked for; "recent" is the last `newDays` days. */
export function meetsNewness(launchDate: string, newness: Newness, today: string, newDays: number): boolean {
  if (newness.kind === "month") return launchDate.startsWith(newness.month);
  if (newness.kind === "since") return launchDate >= newness.date && launchDate <= today;
  return isNew(launchDate, today, newDays);
}

export function isNew(launchDate: string, today: string, newDays: number): boolean {
  const age = (Date.parse(today) - Date.parse(launchDate)) / 86_400_000;
  return age >= 0 && age <= newDays;
}

export function meetsPrice(price: number, range: PriceRange): boolean {
  return (range.min === null || price >= range.min) && (range.max === null || price <= range.max);
}

/** The question with the words of its filters taken out. */
export function withoutSpans(question: string, spans: readonly string[]): string {
  let text = normalizeText(question);
  for (const span of spans) text = text.replace(span, " ");
  return text;
}
