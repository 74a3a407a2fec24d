import { z } from "zod";
import { locale } from "../protocol/chat-payloads.ts";
import { parseJsonLines } from "./parse-json-lines.ts";
import { linkUrl, type KnowledgeProblem, type SourceDocument } from "./source-document.ts";

/** A ready-made passage, one per line: the docs.jsonl format of the evaluation sets. */
const passageRecord = z.object({
  id: z.string().min(1).max(200),
  productId: z.string().max(128).nullable().optional(),
  title: z.string().max(500).default(""),
  text: z.string().min(1).max(50_000),
  kind: z.string().max(50).default("passage"),
  lang: locale,
  url: linkUrl,
});

export function readPassagesJsonl(file: string, content: string): { documents: SourceDocument[]; problems: KnowledgeProblem[] } {
  const { values, problems } = parseJsonLines(file, content, passageRecord);
  const documents = values.map((passage): SourceDocument => ({
    id: passage.id,
    productId: passage.productId ?? null,
    lang: passage.lang,
    kind: passage.kind,
    title: passage.title,
    url: passage.url ?? null,
    sections: [{ title: passage.title, text: passage.text }],
    source: `file:${file}`,
  }));
  return { documents, problems };
}
