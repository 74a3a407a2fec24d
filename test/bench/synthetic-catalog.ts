import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { productRecord, productToDocument, type ProductRecord } from "../../src/knowledge/read-catalog.ts";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { splitDocument } from "../../src/knowledge/split-passages.ts";
import { segmentSentences, segmentWords } from "../../src/text/segment.ts";

/**
 * A large catalog in the sample store's shape (knowledge/catalog.jsonl): every synthetic SKU
 * copies one sample product's category and attribute keys in both languages, and gets its own
 * name, model code, price, launch date, attribute values and description. Descriptions mix the
 * sample's own sentences (numbers redrawn) with sentences of words drawn from the sample's
 * vocabulary, so passages read like product copy and no two are the same. Deterministic: the
 * same seed gives the same catalog.
 */
export type SyntheticCatalog = {
  products: ProductRecord[];
  /** The products as knowledge documents (one per SKU and language), in the same order. */
  documents: SourceDocument[];
};

type Lang = "en" | "zh";
type Template = Record<Lang, ProductRecord>;
type Vocabulary = Record<Lang, { words: string[]; sentencesByCategory: Map<string, string[]> }>;

export const SYNTHETIC_SOURCE = "bench:synthetic";
export const SYNTHETIC_SKU_PREFIX = "SYN";

const MODIFIERS: Record<Lang, string[]> = {
  en: ["Classic", "Pro", "Lite", "Plus", "Max", "Mini", "Compact", "Deluxe", "Travel", "Studio", "Eco", "Prime", "Urban", "Nordic", "Alpine", "Coastal", "Heritage", "Everyday"],
  zh: ["经典", "专业", "轻量", "增强", "旗舰", "迷你", "紧凑", "豪华", "旅行", "工作室", "环保", "优选", "都市", "北欧", "高山", "海岸", "传承", "日常"],
};
const COLOURS: Record<Lang, string[]> = {
  en: ["Graphite", "Ivory", "Sage", "Navy", "Terracotta", "Sand", "Slate", "Forest", "Coral", "Charcoal", "Mist", "Amber"],
  zh: ["石墨灰", "象牙白", "鼠尾草绿", "藏青", "陶土红", "沙色", "岩灰", "森林绿", "珊瑚粉", "炭黑", "雾蓝", "琥珀"],
};

/** mulberry32: small, fast, and the same sequence on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The sample store's products, paired by SKU (only SKUs present in both languages). */
export async function readSampleTemplates(knowledgeDir: string): Promise<Template[]> {
  const content = await readFile(join(knowledgeDir, "catalog.jsonl"), "utf8");
  const bySku = new Map<string, Partial<Template>>();
  for (const line of content.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const parsed = productRecord.safeParse(JSON.parse(line));
    if (!parsed.success) continue;
    const entry = bySku.get(parsed.data.sku) ?? {};
    entry[parsed.data.lang] = parsed.data;
    bySku.set(parsed.data.sku, entry);
  }
  const templates = [...bySku.values()].filter((entry): entry is Template => Boolean(entry.en && entry.zh));
  if (templates.length === 0) throw new Error(`no product with both an en and a zh line in ${join(knowledgeDir, "catalog.jsonl")}`);
  return templates;
}

function buildVocabulary(templates: readonly Template[]): Vocabulary {
  const vocabulary = {} as Vocabulary;
  for (const lang of ["en", "zh"] as const) {
    const words = new Set<string>();
    const sentencesByCategory = new Map<string, string[]>();
    for (const template of templates) {
      const product = template[lang];
      for (const word of segmentWords(`${product.name} ${product.description}`)) if (!/\d/.test(word) && word.length > (lang === "en" ? 2 : 0)) words.add(word);
      const sentences = sentencesByCategory.get(template.en.category) ?? [];
      sentences.push(...segmentSentences(product.description));
      sentencesByCategory.set(template.en.category, sentences);
    }
    vocabulary[lang] = { words: [...words].sort(), sentencesByCategory };
  }
  return vocabulary;
}

/** Products until their documents split into at least `targetPassages` passages (split as ingestion splits them). */
export async function generateCatalog(templates: readonly Template[], options: { targetPassages: number; seed?: number }): Promise<SyntheticCatalog> {
  const random = seededRandom(options.seed ?? 20_240_601);
  const vocabulary = buildVocabulary(templates);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const products: ProductRecord[] = [];
  const documents: SourceDocument[] = [];
  let passages = 0;
  for (let index = 0; passages < options.targetPassages; index += 1) {
    const template = templates[index % templates.length]!;
    const sku = `${SYNTHETIC_SKU_PREFIX}-${String(index).padStart(6, "0")}`;
    const model = `${String.fromCharCode(65 + Math.floor(random() * 26))}${String.fromCharCode(65 + Math.floor(random() * 26))}${100 + Math.floor(random() * 900)}`;
    const modifier = Math.floor(random() * MODIFIERS.en.length);
    const colour = Math.floor(random() * COLOURS.en.length);
    const price = Math.round(template.en.price * (0.5 + random()) + random() * 50);
    const launchDate = `${2022 + Math.floor(random() * 4)}-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}-${String(1 + Math.floor(random() * 28)).padStart(2, "0")}`;
    // The same redrawn numbers in both languages, in the order they appear.
    const numbers = Array.from({ length: 64 }, () => random());
    for (const lang of ["en", "zh"] as const) {
      const base = template[lang];
      let next = 0;
      const redraw = (text: string) => text.replace(/\d+(\.\d+)?/g, (value) => perturb(value, numbers[next++ % numbers.length]!));
      const baseName = base.name.replace(/^Pinebrook\s+|^松溪/, "");
      const name = lang === "en"
        ? `Pinebrook ${MODIFIERS.en[modifier]} ${redraw(baseName)} ${model} (${COLOURS.en[colour]})`
        : `松溪${MODIFIERS.zh[modifier]}${redraw(baseName)} ${model}（${COLOURS.zh[colour]}）`;
      const attributes: Record<string, string> = {};
      for (const [key, value] of Object.entries(base.attributes)) attributes[key] = redraw(value);
      attributes[lang === "en" ? "Model" : "型号"] = model;
      attributes[lang === "en" ? "Colour" : "颜色"] = COLOURS[lang][colour]!;
      const product: ProductRecord = {
        sku, lang, name, category: base.category, price, currency: base.currency, launchDate, attributes,
        description: describe(lang, template.en.category, vocabulary, random, redraw),
        url: `/demo/products/${sku}`,
      };
      products.push(product);
      const document = productToDocument(product, SYNTHETIC_SOURCE);
      documents.push(document);
      passages += (await splitDocument(document)).length;
    }
  }
  return { products, documents };

  function describe(lang: Lang, category: string, vocab: Vocabulary, rnd: () => number, redraw: (text: string) => string): string {
    const { words, sentencesByCategory } = vocab[lang];
    const sample = sentencesByCategory.get(category) ?? [];
    const count = lang === "en" ? 6 + Math.floor(rnd() * 6) : 5 + Math.floor(rnd() * 5);
    const sentences: string[] = [];
    for (let position = 0; position < count; position += 1) {
      if (sample.length > 0 && rnd() < 0.5) {
        sentences.push(redraw(sample[Math.floor(rnd() * sample.length)]!));
      } else {
        const length = 8 + Math.floor(rnd() * 10);
        const picked = Array.from({ length }, () => words[Math.floor(rnd() * words.length)]!);
        if (lang === "en") {
          const text = picked.join(" ");
          sentences.push(`${text[0]!.toUpperCase()}${text.slice(1)}.`);
        } else {
          sentences.push(`${picked.join("")}。`);
        }
      }
    }
    return sentences.join(lang === "en" ? " " : "");
  }
}

/** A number redrawn within ±40% of the original, keeping integers integer. */
function perturb(value: string, draw: number): string {
  const number = Number(value);
  if (!Number.isFinite(number) || number === 0) return value;
  const scaled = number * (0.6 + draw * 0.8);
  return value.includes(".") ? scaled.toFixed(value.split(".")[1]!.length) : String(Math.max(1, Math.round(scaled)));
}

export type BenchQuery = { text: string; lang: Lang; productId: string | null };

/**
 * Questions shoppers would ask about the catalog: a product's price, one of its attributes, or
 * whether its model comes in a colour, in the product's language; one in seven is a store-wide
 * question from `general`. Every other product question is asked from that product's page.
 */
export function makeShopperQueries(products: readonly ProductRecord[], general: Record<Lang, readonly string[]>, count: number, seed = 7): BenchQuery[] {
  const random = seededRandom(seed);
  const queries: BenchQuery[] = [];
  for (let index = 0; index < count; index += 1) {
    if (index % 7 === 6) {
      const lang: Lang = index % 2 === 0 ? "en" : "zh";
      queries.push({ text: general[lang][Math.floor(random() * general[lang].length)]!, lang, productId: null });
      continue;
    }
    const product = products[Math.floor(random() * products.length)]!;
    const lang = product.lang;
    const name = product.name.replace(/^Pinebrook\s+|^松溪/, "").replace(/\s*[(（][^)）]*[)）]\s*$/, "");
    const attributes = Object.keys(product.attributes);
    const key = attributes[Math.floor(random() * attributes.length)] ?? (lang === "en" ? "Warranty" : "质保");
    const model = product.attributes[lang === "en" ? "Model" : "型号"] ?? product.sku;
    const colour = COLOURS[lang][Math.floor(random() * COLOURS[lang].length)]!;
    const templates = lang === "en"
      ? [`How much is the ${name}?`, `What is the ${key.toLowerCase()} of the ${name}?`, `Does the ${model} come in ${colour}?`, `${key} of ${model}?`]
      : [`${name}多少钱？`, `${name}的${key}是多少？`, `${model}有${colour}的吗？`, `${model}${key}`];
    queries.push({ text: templates[Math.floor(random() * templates.length)]!, lang, productId: index % 2 === 0 ? product.sku : null });
  }
  return queries;
}
