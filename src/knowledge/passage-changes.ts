import type { Passage, StoredPassage } from "../retrieval/passage.ts";

/** What a version does to the stored passages of the documents it changes. */
export type PassageChanges = {
  /** New or changed passages: embedded and stored under new labels. */
  added: Passage[];
  /** Stored passages that go: their labels are listed as removed by the version. */
  removed: Pick<StoredPassage, "label" | "productId">[];
  /** Stored passages that stay as they are: same key and content, so label, embedding and terms are kept. */
  kept: number;
};

/**
 * Compare the passages a version splits its changed documents into with those stored for the same
 * documents. A product whose price changed keeps its description's passages: only what differs is
 * embedded again, written and re-indexed, so an update costs what it changes (and, with an
 * embeddings API, what it pays for), not the size of the documents it touches.
 */
export function diffPassages(stored: readonly StoredPassage[], next: readonly Passage[]): PassageChanges {
  const byKey = new Map(stored.map((passage) => [passage.key, passage]));
  const keptKeys = new Set<string>();
  const added: Passage[] = [];
  for (const passage of next) {
    const old = byKey.get(passage.key);
    if (old && samePassage(old, passage)) keptKeys.add(passage.key);
    else added.push(passage);
  }
  const removed = stored.filter((passage) => !keptKeys.has(passage.key)).map(({ label, productId }) => ({ label, productId }));
  return { added, removed, kept: keptKeys.size };
}

function samePassage(a: Passage, b: Passage): boolean {
  return a.documentId === b.documentId && a.productId === b.productId && a.lang === b.lang && a.kind === b.kind && a.title === b.title && a.text === b.text && a.url === b.url;
}
