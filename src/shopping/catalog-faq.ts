import { formatPrice } from "../catalog/product.ts";
import type { ProductEntry } from "./shop-product.ts";

/** One drafted FAQ entry, and the fact a right answer to its question must state. */
export type FaqPair = { question: string; answer: string; fact: string | null };

type Topic = { label: RegExp; en: (name: string) => string; zh: (name: string) => string };

/**
 * Questions shoppers ask about a product, by the attribute that answers them (the store's own
 * attribute names, en and zh). An attribute no topic covers gets the plain "what is its <label>?".
 */
const TOPICS: Topic[] = [
  { label: /^noise|噪音/i, en: (name) => `How loud is the ${name}?`, zh: (name) => `${name}的噪音有多大？` },
  { label: /room size|适用面积/i, en: (name) => `How big a room is the ${name} for?`, zh: (name) => `${name}适用多大面积？` },
  { label: /^capacity|^容量|容纳人数/i, en: (name) => `What is the capacity of the ${name}?`, zh: (name) => `${name}的容量是多少？` },
  { label: /runtime|battery|续航|电池/i, en: (name) => `How long does the battery of the ${name} last?`, zh: (name) => `${name}的续航有多久？` },
  { label: /water|防水/i, en: (name) => `Is the ${name} waterproof?`, zh: (name) => `${name}防水吗？` },
  { label: /oven safe|可否进烤箱/i, en: (name) => `Can the ${name} go in the oven?`, zh: (name) => `${name}可以进烤箱吗？` },
  { label: /dishwasher|洗碗机/i, en: (name) => `Is the ${name} dishwasher safe?`, zh: (name) => `${name}可以用洗碗机洗吗？` },
  { label: /heat sources|适用炉具/i, en: (name) => `Which hobs does the ${name} work on?`, zh: (name) => `${name}适用哪些炉具？` },
  { label: /in the box|包装清单/i, en: (name) => `What comes in the box with the ${name}?`, zh: (name) => `${name}的包装里有什么？` },
  { label: /^warranty|^质保/i, en: (name) => `What is the warranty on the ${name}?`, zh: (name) => `${name}质保多久？` },
  { label: /compatible|fits|适用型号|适用于/i, en: (name) => `Which products does the ${name} fit?`, zh: (name) => `${name}适用于哪些产品？` },
  { label: /^weight|重量/i, en: (name) => `How heavy is the ${name}?`, zh: (name) => `${name}有多重？` },
  { label: /dimension|^size$|尺寸/i, en: (name) => `What are the dimensions of the ${name}?`, zh: (name) => `${name}的尺寸是多少？` },
  { label: /material|材质|面料/i, en: (name) => `What is the ${name} made of?`, zh: (name) => `${name}是什么材质的？` },
];

/** Most drafted entries for one product in one language: the price, then its attributes in catalog order. */
export const MAX_PAIRS_PER_ENTRY = 8;

/**
 * FAQ entries drafted offline from one catalog line: its price and each attribute, asked the way
 * shoppers ask and answered with the catalog's own value. Questions name the product, since a
 * published entry is a FAQ page of its own, not tied to the product page.
 */
export function draftFromAttributes(entry: ProductEntry): FaqPair[] {
  const name = entry.name;
  const zh = entry.lang === "zh";
  const price = formatPrice(entry.price, entry.currency);
  const pairs: FaqPair[] = [
    zh
      ? { question: `${name}多少钱？`, answer: `${name}的价格是 ${price}。`, fact: price }
      : { question: `How much does the ${name} cost?`, answer: `The ${name} costs ${price}.`, fact: price },
  ];
  for (const [label, value] of Object.entries(entry.attributes)) {
    if (pairs.length >= MAX_PAIRS_PER_ENTRY) break;
    const topic = TOPICS.find((candidate) => candidate.label.test(label));
    const question = topic ? topic[entry.lang](name) : zh ? `${name}的${label}是什么？` : `What is the ${lowerFirst(label)} of the ${name}?`;
    if (pairs.some((pair) => pair.question === question)) continue;
    pairs.push({ question, answer: `${name} · ${label}${zh ? "：" : ": "}${value}${zh ? "。" : /[.!?]$/.test(value) ? "" : "."}`, fact: keyFact(value) });
  }
  return pairs;
}

/**
 * The part of an attribute value a right answer must state: its first clause (before a bracket,
 * a semicolon or a comma), so "26 cm (cooking surface 21.5 cm)" asks for "26 cm".
 */
export function keyFact(value: string): string {
  const first = value.split(/[(（;；,，。、]/)[0]!.trim() || value.trim();
  // A clause that goes on after its first quantity ("22 dB in sleep mode") asks for the quantity.
  const quantity = /^\D*?\d[\d.,]*(?:\s*[–~-]\s*\d[\d.,]*)?\s*[^\s\d,;]*(?=\s|$)/u.exec(first)?.[0];
  return quantity && quantity.length < first.length ? quantity.trim() : first;
}

/** "Recommended room size" → "recommended room size", but "CADR (particles)" stays. */
function lowerFirst(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}
