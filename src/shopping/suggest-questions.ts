import type { Suggestion } from "../protocol/shopping.ts";
import { attributesOf, type ShopProduct } from "./shop-product.ts";

/**
 * Question chips for a product page: questions this product's own catalog entry answers, chosen
 * from the attributes it states (a chip is never offered for a fact the catalog lacks). Related
 * accessories come first when the catalog links any; on any other page, "new arrivals".
 */
type Template = { label: RegExp; en: string; zh: string };

const TEMPLATES: Template[] = [
  { label: /^noise$|噪音/i, en: "How loud is it?", zh: "噪音有多大？" },
  { label: /room size|适用面积/i, en: "How big a room is it for?", zh: "适用多大面积？" },
  { label: /^capacity$|^容量$|容纳人数/i, en: "How many people is it for?", zh: "适合几个人用？" },
  { label: /^runtime$|^battery$|^续航$/i, en: "How long does the battery last?", zh: "续航多久？" },
  { label: /water|防水/i, en: "Is it waterproof?", zh: "防水吗？" },
  { label: /oven safe|可否进烤箱/i, en: "Can it go in the oven?", zh: "可以进烤箱吗？" },
  { label: /dishwasher|洗碗机/i, en: "Is it dishwasher safe?", zh: "可以用洗碗机洗吗？" },
  { label: /heat sources|适用炉具/i, en: "Does it work on induction?", zh: "电磁炉能用吗？" },
  { label: /in the box|包装清单/i, en: "What's in the box?", zh: "包装里有什么？" },
  { label: /^warranty$|^质保$/i, en: "What is the warranty?", zh: "质保多久？" },
];

const RELATED = { en: "What accessories go with it?", zh: "有哪些配件？" };
const NEW_ARRIVALS = { en: "What's new?", zh: "有什么新品？" };
const MAX_CHIPS = 3;

export function suggestQuestions(product: ShopProduct | null, products: readonly ShopProduct[], language: "zh" | "en"): Suggestion[] {
  if (!product) return [{ text: NEW_ARRIVALS[language] }];
  const chips: string[] = [];
  const linked = products.some((other) => other.sku !== product.sku && attributesOf(other).some((attribute) => attribute.value.includes(product.sku)));
  if (linked) chips.push(RELATED[language]);
  const labels = attributesOf(product, language).filter((attribute) => attribute.lang === language || !product.entries[language]).map((attribute) => attribute.label);
  for (const template of TEMPLATES) {
    if (chips.length >= MAX_CHIPS) break;
    if (labels.some((label) => template.label.test(label))) chips.push(template[language]);
  }
  return chips.map((text) => ({ text }));
}
