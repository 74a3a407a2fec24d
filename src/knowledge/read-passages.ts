import { z } from "zod";
import { locale } from "../protocol/chat-payloads.ts";
import { describeIssues } from "./read-catalog.ts";
import type { KnowledgeProblem, SourceDocument } from "./source-document.ts";

/** A ready-made passage, one per line: the docs.jsonl format of the evaluation sets. */
const passageRecord = z.object({
  id: z.string().min(1).max(200),
  productId: z.string().max(128).nullable().optional(),
  title: z.string().max(500).default(""),
  text: z.string().min(1).max(50_000),
  kind: z.string().max(50).default("passage"),
  lang: locale,
  url: z.string().max(500).nullable().optional(),
});

export function readPassagesJsonl(file: string, content: string): { documents: SourceDocument[]; problems: KnowledgeProblem[] } {
  const documents: SourceDocument[] = [];
  const problems: KnowledgeProblem[] = [];
  content.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push({ file, line: index + 1, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const parsed = passageRecord.safeParse(value);
    if (!parsed.success) {
      problems.push({ file, line: index + 1, message: describeIssues(parsed.error) });
      return;
    }
    const passage = parsed.data;
    documents.push({
      id: passage.id,
      productId: passage.productId ?? null,
      lang: passage.lang,
      kind: passage.kind,
      title: passage.title,
      url: passage.url ?? null,
      sections: [{ title: passage.title, text: passage.text }],
      source: `file:${file}`,
    });
  });
  return { documents, problems };
}
