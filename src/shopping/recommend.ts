import { checkNeed, parseNeeds, type Need } from "./attribute-needs.ts";
import { bySkuOrder } from "./catalog-change.ts";
import type { NameIndex } from "./name-index.ts";
import { meetsNewness, meetsPrice, parseNewness, parsePriceRange, withoutSpans, type FilterProblem, type Newness, type PriceRange } from "./query-filters.ts";
import { attributesOf, type ShopProduct } from "./shop-product.ts";
import { comparisonParts, detectIntents, preferenceOf, REFERS_BACK, REFERS_TO_PAGE, type Preference } from "./shopping-intent.ts";

/** What the question asks the catalog for, read once. */
export type ShoppingQuery = { price: PriceRange | null; newness: Newness | null; needs: Need[]; naming: string };

/** A product to show and what of the question it meets (facts to quote on its card). */
export type Candidate = { product: ShopProduct; fit: "match" | "closest"; facts: string[] };

export type ShoppingResult =
  | { kind: "products"; intent: "discover" | "related" | "alternatives"; query: ShoppingQuery; candidates: Candidate[]; total: number; base: ShopProduct | null; preference: Preference | null }
  | { kind: "compare"; products: ShopProduct[] }
  | { kind: "problem"; problem: FilterProblem };

export type ShoppingContext = {
  products: readonly ShopProduct[];
  index: NameIndex;
  language: "zh" | "en";
  /** The product page the shopper is on. */
  pageSku: string | null;
  /** Products of the bot's previous recommendation, for "these two". */
  previousSkus: readonly string[];
  today: string;
  newDays: number;
  maxCards: number;
};

/** Share of the best name match a product needs to count as the kind of product asked for. */
const NAME_SHARE = 0.75;
/** The same when the product's name also ends in the head noun asked for (that settles its kind). */
const HEAD_SHARE = 0.5;
const SIMILAR = 0.3;
const CLOSEST = 3;
/** A yes/no or fact question ("Is the E2 waterproof?", "E2 防水吗"): about a product, not a search. */
const FACT_QUESTION = /^(?:is|are|does|do|can|will|would|how|what(?:'s| is) the)\b|吗[？?。！!]*$|多少|几[个人天年]|是否/;

/**
 * Route a question to discovery, comparison, related products or alternatives and work out the
 * products from the catalog alone; null when it is not a shopping question (the ordinary answer
 * path takes it).
 */
export function recommend(question: string, context: ShoppingContext): ShoppingResult | null {
  const intents = detectIntents(question);
  const bySku = catalogOf(context.products).bySku;
  const page = context.pageSku ? (bySku.get(context.pageSku)?.product ?? null) : null;
  const price = parsePriceRange(question);
  if (price.problem) return { kind: "problem", problem: price.problem };
  const newness = parseNewness(question, context.today);
  const needs = parseNeeds(question);
  const query: ShoppingQuery = {
    price: price.value,
    newness: newness.value,
    needs,
    naming: withoutSpans(question, [...price.spans, ...newness.spans, ...needs.map((need) => need.span)]),
  };

  if (intents.has("compare")) {
    const compared = resolveCompared(question, context, bySku, page);
    if (compared.length >= 2) return { kind: "compare", products: compared };
  }
  // "this", "这款" is the page's product; otherwise a product the question names clearly, else the page's.
  const named = (page && REFERS_TO_PAGE.test(query.naming) ? page : null) ?? namedProduct(query.naming, context) ?? page;
  if (intents.has("related") && named) return related(accessoryOwner(named, query.naming, context) ?? named, query, context);
  const preference = preferenceOf(question);
  if (intents.has("alternatives") && named) return alternatives(named, preference, query, context);
  const filtered = query.price !== null || query.newness !== null || needs.length > 0;
  const names = context.index.match(query.naming);
  const asksFact = FACT_QUESTION.test(question.trim().toLowerCase());
  if ((intents.has("discover") || (filtered && !asksFact)) && (names.length > 0 || query.newness !== null || (filtered && intents.has("discover")))) {
    return discover(query, names.length > 0 ? names : null, context);
  }
  return null;
}

function discover(query: ShoppingQuery, names: { product: ShopProduct; score: number }[] | null, context: ShoppingContext): ShoppingResult {
  // A Chinese name is head-final: "羽绒被" asks for a quilt (被), not a down jacket (羽绒服), and "电水壶" for
  // any kettle (壶), the gooseneck "手冲壶" too. Products whose name ends in the head asked for go first.
  const best = names?.[0]?.score ?? 1;
  const heads = context.index.questionHeads(query.naming);
  const headed = names && heads.size > 0 ? names.filter((match) => match.score >= best * HEAD_SHARE && context.index.hasHead(match.product, heads)) : [];
  const kinds = headed.length > 0 ? headed : names?.filter((match) => match.score >= best * NAME_SHARE);
  let pool = kinds ? kinds.map((match) => ({ product: match.product, score: match.score })) : context.products.map((product) => ({ product, score: 1 }));
  // "Cast iron pans" are the pans, not the care kit made for them (unless the kit is all there is).
  // Only a product's own links can make it an accessory of another (see isAccessoryOf): no pass over every pair.
  const pooled = new Set(pool.map((item) => item.product));
  const main = pool.filter((item) => !linksOf(item.product, context.products).some((other) => pooled.has(other) && isAccessoryOf(item.product, other, context.products)));
  if (main.length > 0) pool = main;
  const ranked = rankByFilters(pool, query, context);
  return productsResult("discover", query, ranked, context, null, null);
}

/** Check every filter for each product; matches first (best first), then the closest misses. */
function rankByFilters(pool: { product: ShopProduct; score: number }[], query: ShoppingQuery, context: ShoppingContext) {
  return pool
    .map(({ product, score }) => {
      const facts: string[] = [];
      let missed = 0;
      let distance = 0;
      if (query.price) {
        if (!meetsPrice(product.price, query.price)) {
          missed += 1;
          distance += Math.min(Math.abs(product.price - (query.price.max ?? product.price)), Math.abs(product.price - (query.price.min ?? product.price))) / Math.max(1, product.price);
        }
      }
      if (query.newness) {
        if (!meetsNewness(product.launchDate, query.newness, context.today, context.newDays)) missed += 1;
      }
      let needRank = 0;
      for (const need of query.needs) {
        const check = checkNeed(product, need, context.language);
        if (check?.meets) facts.push(check.fact);
        else missed += check ? 1 : 1.5;
        needRank += check ? check.rank : 1e6;
      }
      return { product, score, facts, missed, distance, needRank };
    })
    .sort(
      (a, b) =>
        a.missed - b.missed ||
        Math.round((b.score - a.score) * 100) ||
        a.needRank - b.needRank ||
        a.distance - b.distance ||
        (query.newness ? b.product.launchDate.localeCompare(a.product.launchDate) : 0) ||
        a.product.price - b.product.price ||
        bySkuOrder(a.product, b.product),
    );
}

function productsResult(
  intent: "discover" | "related" | "alternatives",
  query: ShoppingQuery,
  ranked: ReturnType<typeof rankByFilters>,
  context: ShoppingContext,
  base: ShopProduct | null,
  preference: Preference | null,
): ShoppingResult {
  const matches = ranked.filter((item) => item.missed === 0);
  const shown = matches.length > 0 ? matches.slice(0, context.maxCards) : ranked.slice(0, CLOSEST);
  const fit = matches.length > 0 ? "match" : "closest";
  return {
    kind: "products",
    intent,
    query,
    candidates: shown.map((item) => ({ product: item.product, fit, facts: item.facts })),
    total: matches.length,
    base,
    preference,
  };
}

/** Accessories and consumables the catalog links to the product, either way round. */
function related(base: ShopProduct, query: ShoppingQuery, context: ShoppingContext): ShoppingResult {
  const mentions = (product: ShopProduct, sku: string) => attributesOf(product).some((attribute) => attribute.value.includes(sku));
  const linked = context.products
    .filter((product) => product.sku !== base.sku && (mentions(product, base.sku) || mentions(base, product.sku)))
    .map((product) => {
      const link = attributesOf(product, context.language).find((attribute) => attribute.value.includes(base.sku) && attribute.lang === context.language);
      return { product, score: 1, facts: link ? [`${link.label}${link.lang === "zh" ? "：" : ": "}${link.value}`] : [], missed: 0, distance: 0, needRank: 0 };
    });
  return productsResult("related", query, linked, context, base, null);
}

/** Products like the base one, better in the way asked for (cheaper, bigger, quieter…). */
function alternatives(base: ShopProduct, preference: Preference | null, query: ShoppingQuery, context: ShoppingContext): ShoppingResult {
  const others = context.products.filter((product) => product.sku !== base.sku);
  let pool = others.map((product) => ({ product, score: context.index.similarity(base, product) })).filter((item) => item.score >= SIMILAR);
  if (pool.length === 0) {
    const category = base.entries.en?.category ?? base.entries.zh?.category;
    pool = others.filter((product) => (product.entries.en?.category ?? product.entries.zh?.category) === category).map((product) => ({ product, score: 0.5 }));
  }
  const better = preference ? pool.filter((item) => beats(item.product, base, preference)) : pool;
  const ranked = rankByFilters(better, query, context);
  if (preference) ranked.sort((a, b) => a.missed - b.missed || Math.round((b.score - a.score) * 100) || compareBy(a.product, b.product, preference));
  return productsResult("alternatives", query, ranked, context, base, preference);
}

/** The number a preference compares, read from the catalog (null when the product does not state it). */
function measure(product: ShopProduct, preference: Preference): number | null {
  if (preference === "cheaper" || preference === "pricier") return product.price;
  if (preference === "newer") return Date.parse(product.launchDate);
  const label = preference === "quieter" ? /^noise$/i : preference === "lighter" ? /^weight$|packed weight/i : /capacity|^size$|diameter|dimensions/i;
  const unit = preference === "quieter" ? /(\d+(?:\.\d+)?)\s*dB/i : preference === "lighter" ? /(\d+(?:[.,]\d+)?)\s*(kg|g)\b/i : /(\d+(?:\.\d+)?)\s*(l|ml|cm|m²)\b/i;
  for (const attribute of attributesOf(product, "en")) {
    if (attribute.lang !== "en" || !label.test(attribute.label)) continue;
    const match = unit.exec(attribute.value);
    if (!match) continue;
    const value = Number(match[1]!.replace(",", ""));
    return match[2]?.toLowerCase() === "g" || match[2]?.toLowerCase() === "ml" ? value / 1000 : value;
  }
  return null;
}

function beats(product: ShopProduct, base: ShopProduct, preference: Preference): boolean {
  const mine = measure(product, preference);
  const theirs = measure(base, preference);
  if (mine === null || theirs === null) return false;
  return preference === "cheaper" || preference === "quieter" || preference === "lighter" || preference === "smaller" ? mine < theirs : mine > theirs;
}

function compareBy(a: ShopProduct, b: ShopProduct, preference: Preference): number {
  const left = measure(a, preference) ?? 0;
  const right = measure(b, preference) ?? 0;
  return preference === "cheaper" || preference === "quieter" || preference === "lighter" || preference === "smaller" ? left - right : right - left;
}

/** Per catalog (its products array, one per published version): its SKUs, and the links found so far per product. */
type CatalogLinks = { bySku: Map<string, { product: ShopProduct; position: number }>; skuLengths: number[]; byProduct: WeakMap<ShopProduct, ShopProduct[]> };
const linkCache = new WeakMap<readonly ShopProduct[], CatalogLinks>();

/** The catalog's SKUs and links, made once per products array (every question of a version reads them). */
function catalogOf(products: readonly ShopProduct[]): CatalogLinks {
  let catalog = linkCache.get(products);
  if (!catalog) {
    const bySku = new Map(products.map((each, position) => [each.sku, { product: each, position }]));
    catalog = { bySku, skuLengths: [...new Set(products.map((each) => each.sku.length))].filter((length) => length > 0), byProduct: new WeakMap() };
    linkCache.set(products, catalog);
  }
  return catalog;
}

/**
 * Products a product's catalog attributes name by SKU (an accessory names what it fits), in catalog
 * order. Each product's links are found once per catalog, by looking up every stretch of its
 * attribute text as long as some SKU is (a handful of lengths): the same as searching the text for
 * every SKU of the catalog, without a pass over the whole catalog for each product, which ties
 * between many similar names (a large catalog) would otherwise make for many products per question.
 */
function linksOf(product: ShopProduct, products: readonly ShopProduct[]): ShopProduct[] {
  const catalog = catalogOf(products);
  let links = catalog.byProduct.get(product);
  if (!links) {
    const text = attributesOf(product).map((attribute) => attribute.value).join("\n");
    const found = new Map<ShopProduct, number>();
    for (const length of catalog.skuLengths) {
      for (let start = 0; start + length <= text.length; start += 1) {
        const named = catalog.bySku.get(text.slice(start, start + length));
        if (named && named.product !== product) found.set(named.product, named.position);
      }
    }
    links = [...found].sort((a, b) => a[1] - b[1]).map(([linked]) => linked);
    catalog.byProduct.set(product, links);
  }
  return links;
}

/** An accessory names the product it fits; when both name each other, the cheaper one is the accessory. */
function isAccessoryOf(product: ShopProduct, other: ShopProduct, products: readonly ShopProduct[]): boolean {
  if (!linksOf(product, products).includes(other)) return false;
  return !linksOf(other, products).includes(product) || product.price < other.price;
}

/** "AP40 filter": the question named an accessory, so the product it fits is the one to list accessories for. */
function accessoryOwner(named: ShopProduct, text: string, context: ShoppingContext): ShopProduct | null {
  const owners = linksOf(named, context.products).filter((owner) => isAccessoryOf(named, owner, context.products));
  if (owners.length === 0) return null;
  const scores = new Map(context.index.match(text).map((match) => [match.product, match.score]));
  return [...owners].sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0))[0]!;
}

/** The one product the text names clearly: a SKU, or a name match well ahead of the next. */
function namedProduct(text: string, context: ShoppingContext): ShopProduct | null {
  const sku = context.index.skuIn(text);
  if (sku) return sku;
  const matches = context.index.match(text);
  // On a tie, a product beats its own accessories ("AP40" is the purifier, not its filter).
  const tied = matches.filter((match) => match.score >= (matches[0]?.score ?? 0) * 0.999);
  // An accessory names what it fits: look only among its own links, not at every tied pair (a large catalog ties thousands).
  const tiedProducts = new Set(tied.map((match) => match.product));
  const accessoryOfTied = (product: ShopProduct) => linksOf(product, context.products).some((other) => tiedProducts.has(other) && isAccessoryOf(product, other, context.products));
  const [first, second] = tied.length > 1 ? [...tied.filter((match) => !accessoryOfTied(match.product)), ...matches.slice(tied.length)] : matches;
  if (!first || first.score < 0.5) return null;
  return !second || second.score < first.score * 0.8 ? first.product : null;
}

function resolveCompared(question: string, context: ShoppingContext, bySku: CatalogLinks["bySku"], page: ShopProduct | null): ShopProduct[] {
  const chosen: ShopProduct[] = [];
  const add = (product: ShopProduct | null | undefined) => {
    if (product && !chosen.includes(product) && chosen.length < 3) chosen.push(product);
  };
  const upper = question.toUpperCase();
  for (const product of context.products) if (upper.includes(product.sku)) add(product);
  const referring = question.toLowerCase().replace(REFERS_BACK, " ");
  const parts = comparisonParts(referring);
  // Words every part shares ("air fryer" in "the 4.5 L vs the 8 L air fryer") help each part find its product.
  const whole = context.index.match(referring);
  for (const part of parts) {
    const product = namedProduct(part, context);
    if (product) add(product);
    else {
      const narrowed = context.index.match(part).filter((match) => whole.some((item) => item.product === match.product && item.score >= (whole[0]?.score ?? 0) * NAME_SHARE));
      if (narrowed.length === 1 || (narrowed.length > 1 && narrowed[1]!.score < narrowed[0]!.score * 0.8)) add(narrowed[0]!.product);
    }
  }
  if (chosen.length >= 2) return chosen;
  if (REFERS_BACK.test(question.toLowerCase()) && context.previousSkus.length >= 2) {
    return context.previousSkus.slice(0, 3).flatMap((sku) => bySku.get(sku)?.product ?? []);
  }
  const top = whole.filter((match) => match.score >= (whole[0]?.score ?? 0) * 0.99);
  if (chosen.length === 0 && top.length >= 2 && top.length <= 3) return top.map((match) => match.product);
  if (chosen.length === 1 && page && chosen[0] !== page) return [page, chosen[0]!];
  return chosen;
}
