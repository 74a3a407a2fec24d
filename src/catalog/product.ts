import type { Locale } from "../protocol/chat-payloads.ts";
import { parseQuantities, type Quantity } from "./quantities.ts";

/** The fields of one catalog line (one product in one language), as ingestion validated them. */
export type ProductFields = {
  sku: string;
  lang: Locale;
  name: string;
  category: string;
  price: number;
  currency: string;
  launchDate: string;
  attributes: Record<string, string>;
  description: string;
  url?: string | null;
};

/** What a fact is: one of the catalog's own fields, or an attribute the store named. */
export type FactKind = "price" | "category" | "launchDate" | "attribute";

/** One fact of a product: a label in the product's language, its value as written, and the quantities in it. */
export type ProductFact = { kind: FactKind; label: string; value: string; quantities: Quantity[] };

/**
 * A product in one language with typed facts: the catalog's structure (fields, attribute names,
 * units, values), not its prose. Answers quote these facts as they are; nothing is guessed.
 */
export type CatalogProduct = {
  sku: string;
  lang: Locale;
  name: string;
  category: string;
  price: { amount: number; currency: string; text: string };
  launchDate: string;
  facts: ProductFact[];
  description: string;
  url: string | null;
};

const LABELS: Record<Locale, { category: string; price: string; launched: string }> = {
  en: { category: "Category", price: "Price", launched: "Launch date" },
  zh: { category: "类别", price: "价格", launched: "上市日期" },
};

/** One formatter for every price (toLocaleString would build one per call). */
const PRICE_NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** "¥199", "USD 25.50": how a price is written everywhere the store shows it. */
export function formatPrice(amount: number, currency: string): string {
  const number = PRICE_NUMBER.format(amount);
  return currency === "CNY" ? `¥${number}` : `${currency} ${number}`;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** A catalog date (YYYY-MM-DD) as the shopper's language writes it; any other text as it is. */
export function formatLaunchDate(date: string, lang: Locale): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || !month) return date;
  const [, year, , day] = match;
  return lang === "zh" ? `${year} 年 ${Number(match[2])} 月 ${Number(day)} 日` : `${Number(day)} ${month} ${year}`;
}

export function toCatalogProduct(fields: ProductFields): CatalogProduct {
  const labels = LABELS[fields.lang];
  const priceText = formatPrice(fields.price, fields.currency);
  const fact = (kind: FactKind, label: string, value: string): ProductFact => ({ kind, label, value, quantities: parseQuantities(value) });
  return {
    sku: fields.sku,
    lang: fields.lang,
    name: fields.name,
    category: fields.category,
    price: { amount: fields.price, currency: fields.currency, text: priceText },
    launchDate: fields.launchDate,
    facts: [
      { kind: "price", label: labels.price, value: priceText, quantities: [{ value: fields.price, unit: fields.currency, dimension: "money" }] },
      fact("category", labels.category, fields.category),
      // As a shopper reads a date ("12 November 2026", "2026 年 11 月 12 日"), and no amount: its year is not "2026 years".
      { kind: "launchDate", label: labels.launched, value: formatLaunchDate(fields.launchDate, fields.lang), quantities: [] },
      ...Object.entries(fields.attributes).map(([label, value]) => fact("attribute", label, value)),
    ],
    description: fields.description,
    url: fields.url ?? null,
  };
}
