import { z } from "zod";
import { locale } from "./chat-payloads.ts";

/**
 * What the shopping assistant adds to the wire: product cards and a comparison on a bot answer
 * (optional fields of its answer-end event), suggested question chips, and recommendation clicks.
 */

/** One recommended product as the widget shows it; every value comes from the catalog. */
export type ProductCard = {
  sku: string;
  name: string;
  /** Price as the store writes it, e.g. "¥1,299". */
  priceText: string;
  price: number;
  currency: string;
  url: string | null;
  launchDate: string;
  /** Launched within the store's "new" window. */
  isNew: boolean;
  /** One line on why it is shown, in the shopper's language. */
  reason: string;
  /** "match" meets every filter of the question; "closest" is shown because nothing did. */
  fit: "match" | "closest";
};

/** A side-by-side of two or three products: one row per fact they share, flagged when values differ. */
export type ProductComparison = {
  skus: string[];
  rows: { label: string; values: string[]; differs: boolean }[];
};

/** A question chip the widget offers; tapping it sends `text` as the shopper's message. */
export type Suggestion = { text: string };

export const suggestionsPayload = z.strictObject({
  /** The product page the shopper is on (SKU), or null on any other page. */
  productId: z.string().min(1).max(128).nullable(),
  locale,
});
export type SuggestionsPayload = z.infer<typeof suggestionsPayload>;

export const recommendationClickPayload = z.strictObject({
  answerId: z.string().min(1).max(64),
  sku: z.string().min(1).max(64),
});
export type RecommendationClickPayload = z.infer<typeof recommendationClickPayload>;
