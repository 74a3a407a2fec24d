import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";
import { formatPrice } from "../catalog/product.ts";
import { locale, type Locale } from "../protocol/chat-payloads.ts";
import { describeIssues, parseJsonLines } from "./parse-json-lines.ts";
import type { KnowledgeProblem, SourceDocument } from "./source-document.ts";

/** One product in one language: a line of catalog JSON Lines, or a row of catalog CSV. */
export const productRecord = z.strictObject({
  sku: z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, "use letters, digits, '-', '_' or '.'"),
  lang: locale,
  name: z.string().trim().min(1).max(300),
  category: z.string().trim().min(1).max(100),
  price: z.number().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/).default("CNY"),
  launchDate: z.iso.date(),
  attributes: z
    .record(z.string().trim().min(1, "an attribute needs a name"), z.union([z.string().trim().min(1, "an attribute needs a value"), z.number(), z.boolean()]).transform(String))
    .default({}),
  description: z.string().max(20_000).default(""),
  url: z.string().max(500).nullable().optional(),
});
export type ProductRecord = z.infer<typeof productRecord>;

const LABELS: Record<Locale, { category: string; price: string; launched: string; specs: string }> = {
  en: { category: "Category", price: "Price", launched: "Launch date", specs: "Specifications" },
  zh: { category: "类别", price: "价格", launched: "上市日期", specs: "规格参数" },
};

export function productToDocument(product: ProductRecord, source: string): SourceDocument {
  const labels = LABELS[product.lang];
  const separator = product.lang === "zh" ? "：" : ": ";
  const price = formatPrice(product.price, product.currency);
  const sections = [
    {
      title: product.name,
      text: [
        product.name,
        `${labels.category}${separator}${product.category}`,
        `${labels.price}${separator}${price}`,
        `${labels.launched}${separator}${product.launchDate}`,
      ].join(product.lang === "zh" ? "。" : ". "),
    },
  ];
  const attributes = Object.entries(product.attributes);
  if (attributes.length > 0) {
    sections.push({
      title: `${product.name} · ${labels.specs}`,
      text: attributes.map(([key, value]) => `${key}${separator}${value}`).join(product.lang === "zh" ? "；" : "; "),
    });
  }
  if (product.description.trim()) sections.push({ title: product.name, text: product.description.trim() });
  return {
    id: `product:${product.sku}:${product.lang}`,
    productId: product.sku,
    lang: product.lang,
    kind: "product",
    title: product.name,
    url: product.url ?? null,
    sections,
    source,
    product,
  };
}

/** Parse catalog JSON Lines; every problem names its line. */
export function readCatalogJsonl(file: string, content: string): { documents: SourceDocument[]; problems: KnowledgeProblem[] } {
  const { values, problems } = parseJsonLines(file, content, productRecord);
  return { documents: values.map((product) => productToDocument(product, `file:${file}`)), problems };
}

/** Parse catalog CSV with a header row; attributes are written "Key: Value; Key: Value". */
export function readCatalogCsv(file: string, content: string): { documents: SourceDocument[]; problems: KnowledgeProblem[] } {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(content, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? null;
    return { documents: [], problems: [{ file, line, message: `not valid CSV (${(error as Error).message})` }] };
  }
  const documents: SourceDocument[] = [];
  const problems: KnowledgeProblem[] = [];
  rows.forEach((row, index) => {
    const line = index + 2;
    const attributes: Record<string, string> = {};
    for (const pair of (row.attributes ?? "").split(";")) {
      const at = pair.indexOf(":");
      if (at > 0 && pair.slice(at + 1).trim()) attributes[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
      else if (at > 0) problems.push({ file, line, message: `attribute "${pair.slice(0, at).trim()}" has no value` });
      else if (pair.trim()) problems.push({ file, line, message: `attribute "${pair.trim()}" is not "Key: Value"` });
    }
    const price = Number(row.price);
    const parsed = productRecord.safeParse({
      ...row,
      price: row.price === undefined || row.price === "" || Number.isNaN(price) ? row.price : price,
      attributes,
      url: row.url || null,
    });
    if (!parsed.success) problems.push({ file, line, message: describeIssues(parsed.error) });
    else if (!problems.some((problem) => problem.line === line)) documents.push(productToDocument(parsed.data, `file:${file}`));
  });
  return { documents, problems };
}
