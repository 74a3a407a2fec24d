import { createHash } from "node:crypto";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import type { SourceDocument } from "./source-document.ts";

export type Passage = {
  /** Stable id: "<documentId>#<position>". */
  key: string;
  documentId: string;
  productId: string | null;
  lang: SourceDocument["lang"];
  kind: string;
  title: string;
  text: string;
  url: string | null;
};

const splitter = new RecursiveCharacterTextSplitter({
  chunkSize: 600,
  chunkOverlap: 60,
  separators: ["\n\n", "\n", "。", "！", "？", ". ", "! ", "? ", "；", "; ", "，", ", ", " ", ""],
  keepSeparator: true,
});

/** Split a document's sections into passages of at most ~600 characters, in order. */
export async function splitDocument(document: SourceDocument): Promise<Passage[]> {
  const passages: Passage[] = [];
  for (const section of document.sections) {
    const pieces = section.text.length <= splitter.chunkSize ? [section.text] : await splitter.splitText(section.text);
    for (const piece of pieces) {
      const text = piece.trim();
      if (!text) continue;
      passages.push({
        key: `${document.id}#${passages.length}`,
        documentId: document.id,
        productId: document.productId,
        lang: document.lang,
        kind: document.kind,
        title: section.title || document.title,
        text,
        url: document.url,
      });
    }
  }
  return passages;
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
