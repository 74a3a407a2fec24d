import type { LoadedKnowledge } from "./load-knowledge.ts";
import type { KnowledgeProblem, SourceDocument } from "./source-document.ts";

export type IngestReport = {
  version: number;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  passages: number;
  problems: KnowledgeProblem[];
};

export type KnowledgeVersion = { version: number; createdAt: string; origin: string; added: number; updated: number; removed: number };

/** A stored document as listed; `hash` is its content's, so it changes exactly when the content does. */
export type DocumentInfo = { id: string; source: string; hash: string; productId: string | null; lang: string; kind: string; title: string; url: string | null; updatedAt: string; passages: number };

export type ProductHashes = { ids: string[]; hashes: string[] };

/**
 * The documents changed after a version, in id order: each with its content hash if it is a
 * published product document now, else null (deleted, or not a product). Every product document
 * changed after the version asked, up to `version`, is among them (later changes may be too).
 */
export type DocumentChanges = { version: number; ids: string[]; hashes: (string | null)[] };

export type KnowledgeChanges = { upserts: SourceDocument[]; deletes: string[]; origin: string };

/**
 * The write side of the knowledge: source documents, their passages and embeddings, and the
 * versions that publish them. Every change is one new version, seen whole or not at all by
 * search (a PassageIndex reads the published state). Asynchronous throughout: the SQLite store
 * runs in a worker thread (WorkerKnowledgeStore), and other stores can live elsewhere.
 */
export interface KnowledgeStore {
  /** The published version (0 before the first publish). */
  version(): Promise<number>;
  passageCount(): Promise<number>;
  /** Read a knowledge folder and make the stored file documents match it (unchanged files are skipped). */
  syncFolder(directory: string): Promise<IngestReport>;
  /** The same for knowledge already read. */
  sync(loaded: LoadedKnowledge): Promise<IngestReport>;
  /** Add or replace documents and delete others by id, as one new version (the admin API's way in). */
  applyChanges(changes: KnowledgeChanges): Promise<IngestReport>;
  /** Publish the documents as they were at an earlier version, as a new version. */
  rollback(target: number): Promise<IngestReport>;
  listVersions(limit?: number): Promise<KnowledgeVersion[]>;
  listDocuments(options: { search?: string; limit: number }): Promise<DocumentInfo[]>;
  /** Every published product document's id and content hash, in id order: two arrays of strings, cheap to send between threads. */
  productHashes(): Promise<ProductHashes>;
  /**
   * What changed after `version`, from the store's history (so a reader of the products follows a
   * version without listing them all); null when `version` is not one of this store's.
   */
  documentChangesSince(version: number): Promise<DocumentChanges | null>;
  /** A document as last published (for editing), or null. */
  getDocument(id: string): Promise<SourceDocument | null>;
  listDocumentIds(source: string): Promise<string[]>;
  hasDocument(id: string): Promise<boolean>;
  /** Copy the published state to another folder (to build a candidate version there without touching this one). */
  snapshotTo(directory: string): Promise<void>;
  close(): Promise<void>;
}
