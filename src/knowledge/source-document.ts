import type { ProductFields } from "../catalog/product.ts";
import type { Locale } from "../protocol/chat-payloads.ts";

/** One section of a document: a passage or a few, after splitting. */
export type Section = { title: string; text: string };

/** A document as read from a knowledge file or the admin API, before splitting. */
export type SourceDocument = {
  /** Stable id: "product:<sku>:<lang>", "faq:<id>:<lang>", or the id of a docs.jsonl passage. */
  id: string;
  productId: string | null;
  lang: Locale;
  kind: string;
  title: string;
  url: string | null;
  sections: Section[];
  /** Where it came from, e.g. "file:catalog.jsonl"; used to tell removed documents from failed files. */
  source: string;
  /** A catalog product's own fields, kept so its facts are answered from the catalog as written. */
  product?: ProductFields;
};

/** A file, or a line of it, that could not be read; the rest of the knowledge keeps working. */
export type KnowledgeProblem = { file: string; line: number | null; message: string };

export type ReadResult = { documents: SourceDocument[]; problems: KnowledgeProblem[] };
