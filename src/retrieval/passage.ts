/** A piece of a source document, the unit that is searched and cited. */
export type Passage = {
  /** Stable id: "<documentId>#<position>". */
  key: string;
  documentId: string;
  productId: string | null;
  lang: "zh" | "en";
  kind: string;
  title: string;
  text: string;
  url: string | null;
};

/** A passage as stored: its label is its row id in SQLite and its label in the vector index. */
export type StoredPassage = Passage & { label: number };
