import { normalizeText } from "../text/segment.ts";

/**
 * What kind of shopping question this is, from its phrasing alone (en and zh). Only clear
 * phrasings count: an ordinary question about the product on the page ("is it oven safe?") is
 * none of these and goes to the ordinary answer path.
 */
export type ShoppingIntent = "compare" | "related" | "alternatives" | "discover";

/** A preference for alternatives: which way the shopper wants the page product beaten. */
export type Preference = "cheaper" | "pricier" | "bigger" | "smaller" | "quieter" | "lighter" | "newer";

const COMPARE = /\bvs\.?\b|\bversus\b|\bcompar(?:e|ed|ing|ison)\b|\bdifference(?:s)?\b|\bdiffer\b|\bwhich (?:one |of (?:the|them|these) )?(?:is|should)\b|\bbetter\b.*\bor\b|区别|对比|比较|哪个好|哪款好|哪个更|哪款更|有什么不同|有何不同|差别|差异|不同之处|选哪个|选哪款|还是.*(?:好|值)/;

const RELATED = /\bwhat else (?:do|would|should|will|might) i need\b|\baccessor(?:y|ies)\b|\bconsumables?\b|\bspare parts?\b|\brefills?\b|\bgoes? (?:well )?with\b|\bto go with\b|\bwhat (?:do|would|should) i need (?:to|for)\b|\bneed to buy\b|\b(?:keep|maintain|look after)\b.*\b(?:shape|condition|good|clean)\b|\breplacement (?:filter|tips?|parts?)\b|\b(?:filters?|ear tips|descaler) (?:for|that fits?)\b|配件|耗材|替换滤芯|滤芯|配套|搭配什么|还需要(?:买|准备)?什么|需要(?:买|准备)什么|保养用品|保养套装|怎么保养.*买|除垢剂/;

const ALTERNATIVES = /\b(?:something|anything|one|ones|options?|alternatives?|models?)\s+(?:similar|like (?:this|that|it)|else)\b|\bsimilar\b|\balternatives?\b|\binstead\b|\b(?:cheaper|bigger|larger|smaller|quieter|lighter|newer|more expensive) (?:one|option|model|version|alternative)\b|\banything (?:cheaper|bigger|larger|smaller|quieter|lighter)\b|\bsomething (?:cheaper|bigger|larger|smaller|quieter|lighter)\b|\b(?:cheaper|bigger|larger|smaller|quieter|lighter|newer) than (?:this|that|it)\b|类似|差不多的|同类|替代|平替|便宜一?点的|更便宜的|大一?点的|小一?点的|更大的|更小的|更安静的|更轻的|还有别的|其他款|别的款/;

const DISCOVER = /\brecommend\w*\b|\bsuggest\w*\b|\blooking for\b|\bshow me\b|\bdo you (?:have|sell|carry|stock)\b|\bhave you got\b|\bis there (?:a|an|any)\b|\bare there any\b|\bany (?:good )?\w+(?: \w+)? (?:for|under|below|that|with)\b|\bi(?:'m| am)? (?:need|want|after|looking)\b|\bi(?:'d| would) like\b|\bwhat (?:\w+ )?(?:do you have|can you recommend|is new|'s new|are your)\b|\bwhat(?:'s| is) new\b|\bwhat new\b|\bnew arrivals\b|\b(?:something|anything) (?:for|that|to|with)\b|\bgift\b|\boptions\b|\bbest\b|^有.{1,20}吗[？?]?$|有吗[？?。!！]*$|有卖吗|有什么|有没有|有哪些|有啥|推荐|想买|想要|求|找一?[款个]|买什么|哪些|适合.*的|送礼|礼物|新品|上新/;

const PREFERENCES: [Preference, RegExp][] = [
  ["cheaper", /\bcheaper\b|\bless expensive\b|\blower price\b|\bbudget\b|便宜|实惠|价格低|低价|平替/],
  ["pricier", /\bmore expensive\b|\bpremium\b|\bhigher[- ]end\b|更贵|高端|高档/],
  ["bigger", /\bbigger\b|\blarger\b|\bmore capacity\b|大一?点|更大|容量大/],
  ["smaller", /\bsmaller\b|\bmore compact\b|小一?点|更小|小巧/],
  ["quieter", /\bquieter\b|\bless noisy\b|更安静|噪音更小|安静一?点/],
  ["lighter", /\blighter\b|\bless heavy\b|更轻|轻一?点/],
  ["newer", /\bnewer\b|\bmore recent\b|更新的|新一?点/],
];

export function detectIntents(question: string): Set<ShoppingIntent> {
  const text = normalizeText(question);
  const intents = new Set<ShoppingIntent>();
  if (COMPARE.test(text)) intents.add("compare");
  if (RELATED.test(text)) intents.add("related");
  if (ALTERNATIVES.test(text) || (preferenceOf(text) && /\b(?:one|ones|something|anything|option|model)\b|的吗|有没有|有吗|还有/.test(text))) intents.add("alternatives");
  if (DISCOVER.test(text)) intents.add("discover");
  return intents;
}

export function preferenceOf(question: string): Preference | null {
  const text = normalizeText(question);
  return PREFERENCES.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
}

/** "A vs B", "A 和 B 的区别": the parts of a comparison that each name one product. */
export function comparisonParts(question: string): string[] {
  return normalizeText(question)
    .split(/\bvs\.?\b|\bversus\b|\bcompared? (?:to|with)\b|\bor\b|\band\b|,|，|、|和|跟|与|同|还是|对比|比较|\bbetween\b|\bcompare\b/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** "these two", "这两款", "them": the products of the previous recommendation. */
export const REFERS_BACK = /\bthese (?:two|three)\b|\bthose (?:two|three)\b|\bthe (?:two|three|first two)\b|\bboth\b|\bthem\b|这两[款个]|这三[款个]|这几[款个]|那两[款个]|两者|它们/;

/** "this one", "这款": the product on the page. */
export const REFERS_TO_PAGE = /\bthis (?:one|model|product|item|pan|kettle)\b|\bthis\b|这款|这个|本品|它/;
