import type { ProductCard, ProductComparison } from "../protocol/shopping.ts";
import { isNew, type PriceRange } from "./query-filters.ts";
import type { Candidate, ShoppingResult } from "./recommend.ts";
import { formatPrice as priceText } from "../catalog/product.ts";
import { entryIn, type ShopProduct } from "./shop-product.ts";

/** A shopping answer: a short text and what the widget shows beside it. */
export type ShoppingReply = { text: string; products: ProductCard[]; comparison: ProductComparison | null };

type Language = "zh" | "en";
type Options = { language: Language; today: string; newDays: number };

const MAX_NAME = 120;

const WORDS = {
  en: {
    found: (count: number, total: number) => (total > count ? `I found ${total} products that match; here are the best ${count}:` : count === 1 ? "I found 1 product that matches:" : `I found ${count} products that match:`),
    none: (filters: string) => `Nothing in our catalog matches all of that${filters ? ` (${filters})` : ""}.`,
    closest: "These come closest:",
    related: (name: string) => `Accessories and consumables for ${name}:`,
    noRelated: (name: string) => `Our catalog lists no accessories or consumables for ${name}.`,
    alternatives: (name: string, how: string) => `Products like ${name}${how}:`,
    noAlternatives: (name: string, how: string) => `I found nothing like ${name}${how} in our catalog.`,
    compare: (names: string) => `Here is how ${names} compare:`,
    differ: (labels: string) => `They differ in ${labels}.`,
    same: "Their shared specifications are the same.",
    badPrice: (text: string) => `I can't use "${text}" as a price. Please give an amount such as "under ¥300" or "between ¥200 and ¥400".`,
    newBadge: (date: string) => `New · launched ${date}`,
    launched: (date: string) => `Launched ${date}`,
    under: (max: string) => `up to ${max}`,
    over: (min: string) => `from ${min}`,
    between: (min: string, max: string) => `${min}–${max}`,
    within: (range: string) => `Price ${range}`,
    recent: "new arrivals",
    month: (month: string) => `launched in ${month}`,
    since: (date: string) => `launched since ${date}`,
    how: { cheaper: " but cheaper", pricier: " but more premium", bigger: " but bigger", smaller: " but smaller", quieter: " but quieter", lighter: " but lighter", newer: " but newer" },
    list: (items: string[]) => items.join(", "),
    and: " and ",
    price: "Price",
    launchDate: "Launch date",
  },
  zh: {
    found: (count: number, total: number) => (total > count ? `共有 ${total} 款商品符合条件，以下是最匹配的 ${count} 款：` : `为您找到 ${count} 款符合条件的商品：`),
    none: (filters: string) => `目录里没有完全符合条件的商品${filters ? `（${filters}）` : ""}。`,
    closest: "最接近的是：",
    related: (name: string) => `适用于${name}的配件和耗材：`,
    noRelated: (name: string) => `目录中没有列出适用于${name}的配件或耗材。`,
    alternatives: (name: string, how: string) => `和${name}类似${how}的商品：`,
    noAlternatives: (name: string, how: string) => `目录里没有和${name}类似${how}的商品。`,
    compare: (names: string) => `${names}的对比如下：`,
    differ: (labels: string) => `主要区别在：${labels}。`,
    same: "它们共有的参数都相同。",
    badPrice: (text: string) => `无法把“${text}”当作价格，请换一种说法，例如“300 元以内”或“200 到 400 元”。`,
    newBadge: (date: string) => `新品 · ${date} 上市`,
    launched: (date: string) => `${date} 上市`,
    under: (max: string) => `${max} 以内`,
    over: (min: string) => `${min} 以上`,
    between: (min: string, max: string) => `${min}–${max}`,
    within: (range: string) => `价格${range}`,
    recent: "新品",
    month: (month: string) => `${month} 上市`,
    since: (date: string) => `${date} 以后上市`,
    how: { cheaper: "但更便宜", pricier: "但更高端", bigger: "但更大", smaller: "但更小", quieter: "但更安静", lighter: "但更轻", newer: "但更新" },
    list: (items: string[]) => items.join("、"),
    and: "和",
    price: "价格",
    launchDate: "上市日期",
  },
} as const;

/** Names are shown as the catalog writes them, cut to a length a card and a sentence can hold. */
function shortName(name: string): string {
  const characters = [...name.replace(/\s+/g, " ").trim()];
  return characters.length > MAX_NAME ? `${characters.slice(0, MAX_NAME - 1).join("")}…` : characters.join("");
}

export function composeReply(result: ShoppingResult, options: Options): ShoppingReply {
  const words = WORDS[options.language];
  if (result.kind === "problem") return { text: words.badPrice(result.problem.text.slice(0, 60)), products: [], comparison: null };
  if (result.kind === "compare") return composeComparison(result.products, options);
  const { candidates } = result;
  const cards = candidates.map((candidate) => toCard(candidate, result.query.price, options));
  const lines = cards.map((card, index) => `${index + 1}. ${card.name} — ${card.priceText}`);
  const baseName = result.base ? shortName(entryIn(result.base, options.language).name) : "";
  const how = result.preference ? words.how[result.preference] : "";
  const matched = candidates[0]?.fit === "match";
  let head: string;
  if (result.intent === "related") head = matched ? words.related(baseName) : words.noRelated(baseName);
  else if (result.intent === "alternatives") head = matched ? words.alternatives(baseName, how) : words.noAlternatives(baseName, how);
  else head = matched ? words.found(cards.length, result.total) : words.none(describeFilters(result.query, options));
  const closest = !matched && cards.length > 0 ? `\n${words.closest}` : "";
  return { text: [head + closest, ...lines].join("\n"), products: cards, comparison: null };
}

function describeFilters(query: Extract<ShoppingResult, { kind: "products" }>["query"], options: Options): string {
  const words = WORDS[options.language];
  const parts: string[] = [];
  if (query.price) parts.push(rangeText(query.price, options));
  if (query.newness) parts.push(query.newness.kind === "recent" ? words.recent : query.newness.kind === "month" ? words.month(query.newness.month) : words.since(query.newness.date));
  for (const need of query.needs) parts.push(need.span.trim());
  return words.list(parts);
}

function rangeText(range: PriceRange, options: Options): string {
  const words = WORDS[options.language];
  const money = (amount: number) => priceText(amount, "CNY");
  if (range.min !== null && range.max !== null) return words.between(money(range.min), money(range.max));
  return range.max !== null ? words.under(money(range.max)) : words.over(money(range.min ?? 0));
}

function toCard(candidate: Candidate, price: PriceRange | null, options: Options): ProductCard {
  const { product } = candidate;
  const words = WORDS[options.language];
  const entry = entryIn(product, options.language);
  const fresh = isNew(product.launchDate, options.today, options.newDays);
  const reasons = [...candidate.facts];
  if (price && candidate.fit === "match") reasons.unshift(words.within(rangeText(price, options)));
  if (reasons.length === 0) reasons.push(fresh ? words.newBadge(product.launchDate) : `${entry.category} · ${words.launched(product.launchDate)}`);
  return {
    sku: product.sku,
    name: shortName(entry.name),
    priceText: priceText(product.price, product.currency),
    price: product.price,
    currency: product.currency,
    url: entry.url ?? product.url,
    launchDate: product.launchDate,
    isNew: fresh,
    reason: [...reasons.join(" · ")].slice(0, 200).join(""),
    fit: candidate.fit,
  };
}

/** The facts all compared products state (same label in the shopper's language), price and launch date first. */
function composeComparison(products: ShopProduct[], options: Options): ShoppingReply {
  const words = WORDS[options.language];
  const entries = products.map((product) => entryIn(product, options.language));
  const rows: ProductComparison["rows"] = [
    { label: words.price, values: products.map((product) => priceText(product.price, product.currency)) },
    { label: words.launchDate, values: products.map((product) => product.launchDate) },
  ].map((row) => ({ ...row, differs: new Set(row.values).size > 1 }));
  const labels = Object.keys(entries[0]!.attributes).filter((label) => entries.every((entry) => label in entry.attributes));
  for (const label of labels) {
    const values = entries.map((entry) => entry.attributes[label]!);
    rows.push({ label, values, differs: new Set(values).size > 1 });
  }
  const names = entries.map((entry) => shortName(entry.name));
  const differing = rows.filter((row) => row.differs).map((row) => row.label);
  const text = [
    words.compare(names.length === 2 ? names.join(words.and) : words.list(names)),
    differing.length > 0 ? words.differ(words.list(differing)) : words.same,
  ].join("\n");
  const cards = products.map((product) => toCard({ product, fit: "match", facts: [] }, null, options));
  return { text, products: cards, comparison: { skus: products.map((product) => product.sku), rows } };
}
