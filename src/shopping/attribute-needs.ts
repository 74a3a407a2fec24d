import { FACT_CONCEPTS } from "../catalog/fact-lexicon.ts";
import { parseQuantities, type Dimension } from "../catalog/quantities.ts";
import { normalizeText } from "../text/segment.ts";
import { attributesOf, type ShopProduct } from "./shop-product.ts";

/**
 * Needs a shopper states that the catalog can check ("quiet", "for a 30 m² room", "waterproof",
 * "for 4 people", "noise cancelling"), each with how to read the product's attribute and how to
 * rank products by it. A product whose catalog entry does not state the attribute does not meet
 * the need: nothing is assumed.
 */

export type NeedId = "quiet" | "room" | "waterproof" | "splash" | "people" | "anc";

export type Need = { id: NeedId; /** the number asked for (m², people) */ amount: number | null; span: string };

/** What a product's attribute says about a need: whether it meets it, a rank key (lower is better) and the fact shown. */
export type NeedCheck = { meets: boolean; rank: number; fact: string };

const WORD_NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, 一: 1, 双: 2, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8 };
const toNumber = (text: string) => WORD_NUMBERS[text] ?? Number(text);

type NeedRule = {
  id: NeedId;
  ask: RegExp;
  /** The catalog lexicon's kind of fact whose attribute labels (en or zh) state it. */
  concept: string;
  /** Read the attribute value for this need; null when it says nothing usable. */
  check: (value: string, amount: number | null) => NeedCheck | null;
  amount?: (match: RegExpExecArray) => number;
};

const QUIET_DB = 30;

const RULES: NeedRule[] = [
  {
    id: "anc",
    ask: /\bnoise[- ]?cancel(?:l)?(?:ing|ation)?\b|\banc\b|主动降噪|降噪/,
    concept: "noise-cancelling",
    check: (value) => {
      const active = /\bANC\b|active noise|主动降噪/i.test(value) && !/\bno active\b|无主动/i.test(value);
      return { meets: active, rank: active ? 0 : 1, fact: value };
    },
  },
  {
    id: "quiet",
    ask: /\bquiet(?:er|est)?\b|\bsilent\b|\blow[- ]noise\b|\bwon'?t wake\b|安静|静音|噪音小|噪音低|不吵|低噪/,
    concept: "noise",
    check: (value) => {
      const levels = amounts(value, "sound");
      if (levels.length === 0) return null;
      const quietest = Math.min(...levels);
      return { meets: quietest <= QUIET_DB, rank: quietest, fact: value };
    },
  },
  {
    id: "room",
    ask: /(\d+(?:\.\d+)?)\s*(?:m²|m2|㎡|sq\.? ?m|square met(?:er|re)s?|平方米|平米|平方|个平方)/,
    amount: (match) => Number(match[1]),
    concept: "room",
    check: (value, amount) => {
      const areas = amounts(value, "area");
      if (areas.length === 0) return null;
      const largest = Math.max(...areas);
      return { meets: amount === null || amount <= largest, rank: amount === null ? -largest : Math.abs(largest - amount), fact: value };
    },
  },
  {
    id: "waterproof",
    ask: /\bwater ?proof\b|\bswim(?:ming)?\b|\bin the (?:pool|shower)\b|防水|游泳|可以泡水|掉水里/,
    concept: "water",
    check: (value) => ipCheck(value, 7),
  },
  {
    id: "splash",
    ask: /\bwater[- ]resistant\b|\bsplash\w*\b|\bsweat\w*\b|\brain\b|防泼|防溅|防汗|淋雨|下雨/,
    concept: "water",
    check: (value) => ipCheck(value, 4),
  },
  {
    id: "people",
    ask: /\bfor (\d+|two|three|four|five|six|seven|eight) (?:people|persons|person|of us)\b|\bfamily of (\d+|two|three|four|five|six)\b|(\d+|[一双两二三四五六七八])\s*(?:个)?人(?:用|家庭|份|吃|住)?/,
    amount: (match) => toNumber(match[1] ?? match[2] ?? match[3]!),
    concept: "capacity",
    check: (value, amount) => {
      const served = /(?:serves|适合)\s*(\d+)\s*(?:[–-]\s*(\d+))?|(\d+)\s*(?:[–-]\s*(\d+)\s*)?(?:people|persons|人)/i.exec(value);
      if (!served) return null;
      const low = Number(served[1] ?? served[3]);
      const high = Number(served[2] ?? served[4] ?? low);
      return { meets: amount === null || (amount >= low && amount <= high), rank: amount === null ? 0 : Math.min(Math.abs(amount - low), Math.abs(amount - high)), fact: value };
    },
  },
];

const amounts = (value: string, dimension: Dimension) => parseQuantities(value).filter((quantity) => quantity.dimension === dimension).map((quantity) => quantity.value);

function labelsOf(concept: string): RegExp {
  const found = FACT_CONCEPTS.find((candidate) => candidate.id === concept);
  if (!found) throw new Error(`unknown fact concept ${concept}`);
  return found.names;
}

/** IP rating: the second digit is water protection ("IPX4", "IP67"); meets when at least `needed`. */
function ipCheck(value: string, needed: number): NeedCheck | null {
  const rating = /\bIP(?:X|\d)(\d)\b/i.exec(value);
  if (!rating) return null;
  const level = Number(rating[1]);
  return { meets: level >= needed, rank: -level, fact: value };
}

/** The checkable needs a question states, each once. */
export function parseNeeds(question: string): Need[] {
  const text = normalizeText(question);
  const needs: Need[] = [];
  for (const rule of RULES) {
    const match = rule.ask.exec(text);
    if (!match) continue;
    // "noise cancelling" is not a wish for quiet, and "waterproof" already covers splashes.
    if (rule.id === "quiet" && needs.some((need) => need.id === "anc")) continue;
    if (rule.id === "splash" && needs.some((need) => need.id === "waterproof")) continue;
    const amount = rule.amount ? rule.amount(match) : null;
    if (amount !== null && !(Number.isFinite(amount) && amount > 0 && amount < 1e6)) continue;
    needs.push({ id: rule.id, amount, span: match[0] });
  }
  return needs;
}

/** How the product's own attributes meet a need; null when its catalog entry does not say. */
export function checkNeed(product: ShopProduct, need: Need, language: "zh" | "en"): NeedCheck | null {
  const rule = RULES.find((candidate) => candidate.id === need.id)!;
  let found: NeedCheck | null = null;
  let readable: NeedCheck | null = null;
  for (const attribute of attributesOf(product, language)) {
    if (!labelsOf(rule.concept).test(attribute.label)) continue;
    const check = rule.check(attribute.value, need.amount);
    if (!check) continue;
    const labelled = { ...check, fact: `${attribute.label}${attribute.lang === "zh" ? "：" : ": "}${attribute.value}` };
    // The shopper's language is preferred for the fact shown; the verdict is the same in both.
    if (attribute.lang === language) return labelled;
    readable ??= labelled;
    found ??= labelled;
  }
  return found ?? readable;
}
