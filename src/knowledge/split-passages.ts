import { createHash } from "node:crypto";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import { segmentSentences } from "../text/segment.ts";
import type { Passage } from "../retrieval/passage.ts";
import type { SourceDocument } from "./source-document.ts";

export type { Passage };

export const MAX_PASSAGE_CHARS = 600;

/** Only for a single sentence longer than a passage: cut it on the best boundary available. */
const fallbackSplitter = new RecursiveCharacterTextSplitter({
  chunkSize: MAX_PASSAGE_CHARS,
  chunkOverlap: 60,
  separators: ["\n", "；", "; ", "，", ", ", " ", ""],
});

/**
 * Split a document's sections into passages of at most MAX_PASSAGE_CHARS, on sentence boundaries
 * (Intl.Segmenter, so Chinese punctuation is respected), each passage repeating the last sentence
 * of the one before for context.
 */
export async function splitDocument(document: SourceDocument): Promise<Passage[]> {
  const passages: Passage[] = [];
  for (const section of document.sections) {
    for (const piece of await splitText(section.text)) {
      passages.push({
        key: `${document.id}#${passages.length}`,
        documentId: document.id,
        productId: document.productId,
        lang: document.lang,
        kind: document.kind,
        title: section.title || document.title,
        text: piece,
        url: document.url,
      });
    }
  }
  return passages;
}

async function splitText(text: string): Promise<string[]> {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (trimmed.length <= MAX_PASSAGE_CHARS) return [trimmed];
  const sentences: string[] = [];
  for (const sentence of segmentSentences(trimmed)) {
    if (sentence.length <= MAX_PASSAGE_CHARS) sentences.push(sentence);
    else sentences.push(...(await fallbackSplitter.splitText(sentence)));
  }
  const joiner = (left: string) => (/[\p{Script=Han}。！？；]$/u.test(left) ? "" : " ");
  const pieces: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const sentence of sentences) {
    if (current.length > 0 && length + sentence.length + 1 > MAX_PASSAGE_CHARS) {
      pieces.push(current.reduce((all, next) => all + joiner(all) + next));
      const overlap = current.at(-1)!;
      current = overlap.length + sentence.length + 1 <= MAX_PASSAGE_CHARS ? [overlap] : [];
      length = current[0]?.length ?? 0;
    }
    current.push(sentence);
    length += sentence.length + 1;
  }
  if (current.length > 0) pieces.push(current.reduce((all, next) => all + joiner(all) + next));
  return pieces;
}

/** What search and embeddings see of a passage: its title then its text. */
export function indexedText(passage: Pick<Passage, "title" | "text">): string {
  return passage.title && !passage.text.startsWith(passage.title) ? `${passage.title}\n${passage.text}` : passage.text;
}

/** Content hash of a document: any change to what it says or where it points changes it. */
export function hashDocument(document: SourceDocument): string {
  const { source: _source, ...content } = document;
  return createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 32);
}
