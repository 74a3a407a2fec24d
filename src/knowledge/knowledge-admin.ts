import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import type { ConversationStore } from "../conversations/conversation-store.ts";
import { AppError } from "../errors.ts";
import { locale } from "../protocol/chat-payloads.ts";
import { Retriever } from "../retrieval/retriever.ts";
import type { FolderSync } from "./folder-sync.ts";
import { groupQuestions, type QuestionGroup } from "./group-questions.ts";
import type { IngestReport, KnowledgeBase } from "./knowledge-base.ts";
import { readerFor } from "./load-knowledge.ts";
import { describeIssues } from "./parse-json-lines.ts";
import { productRecord, productToDocument } from "./read-catalog.ts";
import { DocumentProductCatalog } from "../catalog/product-catalog.ts";
import { runRegressionCheck, type GoldenQuestion, type KnowledgeView, type RegressionReport } from "./regression-check.ts";
import type { KnowledgeProblem, SourceDocument } from "./source-document.ts";
import type { Draft, GoldenEntry, SqliteCurationStore } from "./sqlite-curation-store.ts";

/** A document as the admin API takes it: a product, a FAQ page, or a whole file in a knowledge format. */
export const adminDocument = z.discriminatedUnion("type", [
  productRecord.extend({ type: z.literal("product") }),
  z.strictObject({
    type: z.literal("faq"),
    id: z.string().trim().min(1).max(100).regex(/^[\w.-]+$/),
    title: z.string().trim().min(1).max(300),
    lang: locale,
    category: z.string().trim().min(1).max(50).default("faq"),
    url: z.string().max(500).nullable().optional(),
    entries: z.array(z.strictObject({ question: z.string().trim().min(1).max(500), answer: z.string().trim().min(1).max(20_000) })).min(1),
  }),
  z.strictObject({ type: z.literal("file"), filename: z.string().trim().min(1).max(200), content: z.string().max(5_000_000) }),
]);
export type AdminDocument = z.input<typeof adminDocument>;

export const changesPayload = z.strictObject({
  documents: z.array(z.unknown()).max(20_000).default([]),
  delete: z.array(z.string().min(1).max(300)).max(20_000).default([]),
  /** Publish as the whole content of this named source: its documents missing here are deleted. */
  syncSource: z.string().trim().min(1).max(100).regex(/^[\w.-]+$/).optional(),
  /** Run the regression check first; publish only when nothing regresses, unless force. */
  check: z.boolean().optional(),
  force: z.boolean().default(false),
});

export type PublishResult = { report: IngestReport | null; check: RegressionReport | null; published: boolean };

const GAP_REASONS = ["low-confidence", "repeated-failure"];

export type KnowledgeAdminDeps = {
  knowledge: KnowledgeBase;
  folder: FolderSync;
  curation: SqliteCurationStore;
  conversations: ConversationStore;
  /** Open a knowledge base in another folder with the serving embedder (for candidates). */
  openCandidate: (directory: string) => Promise<KnowledgeBase>;
  topK: number;
  threshold: number;
  checkOnPublish: boolean;
  clock?: () => Date;
};

/**
 * Store staff's work on the knowledge: publish changes (JSON or knowledge files) as versions,
 * check a candidate against golden questions first, roll back, and learn from hand-offs (the
 * knowledge-gap groups and FAQ drafts from agents' answers).
 */
export class KnowledgeAdmin {
  readonly #deps: Required<KnowledgeAdminDeps>;

  constructor(deps: KnowledgeAdminDeps) {
    this.#deps = { ...deps, clock: deps.clock ?? (() => new Date()) };
  }

  get problems(): KnowledgeProblem[] {
    return this.#deps.folder.problems;
  }

  /** Parse API documents with the same rules as knowledge files; any problem rejects the whole request. */
  toDocuments(inputs: readonly unknown[], actor: string): SourceDocument[] {
    const documents: SourceDocument[] = [];
    const problems: KnowledgeProblem[] = [];
    inputs.forEach((input, index) => {
      const parsed = adminDocument.safeParse(input);
      if (!parsed.success) {
        problems.push({ file: `documents[${index}]`, line: null, message: describeIssues(parsed.error) });
        return;
      }
      const value = parsed.data;
      const source = `api:${actor}`;
      if (value.type === "product") {
        const { type: _type, ...product } = value;
        documents.push(productToDocument(product, source));
      } else if (value.type === "faq") {
        documents.push({
          id: `faq:${value.id}:${value.lang}`, productId: null, lang: value.lang, kind: value.category, title: value.title, url: value.url ?? null,
          sections: value.entries.map((entry) => ({ title: entry.question, text: entry.answer })), source,
        });
      } else {
        const read = readFile(value.filename, value.content);
        problems.push(...read.problems);
        documents.push(...read.documents.map((document) => ({ ...document, source })));
      }
    });
    if (problems.length > 0) {
      throw new AppError("KNOWLEDGE_INVALID", `The update was refused; nothing changed. ${problems.map((problem) => `${problem.file}${problem.line ? `:${problem.line}` : ""}: ${problem.message}`).join(" | ")}`, {
        details: { problems },
      });
    }
    return documents;
  }

  /** Publish changes as one new version, after a regression check when asked or configured. */
  async publish(input: { documents: readonly unknown[]; delete: string[]; check?: boolean; force: boolean; syncSource?: string }, actor: string): Promise<PublishResult> {
    const source = input.syncSource ? `sync:${input.syncSource}` : undefined;
    const upserts = this.toDocuments(input.documents, actor).map((document) => (source ? { ...document, source } : document));
    if (source) {
      const kept = new Set(upserts.map((document) => document.id));
      input = { ...input, delete: [...input.delete, ...this.#deps.knowledge.listDocumentIds(source).filter((id) => !kept.has(id))] };
    }
    let check: RegressionReport | null = null;
    if (input.check ?? this.#deps.checkOnPublish) {
      check = await this.#check(upserts, input.delete);
      if (!input.force && (check.newlyHandedOff > 0 || check.lostDocuments.length > 0)) return { report: null, check, published: false };
    }
    const report = await this.#deps.knowledge.applyChanges({ upserts, deletes: input.delete, origin: `api:${actor}` });
    return { report, check, published: true };
  }

  async check(input: { documents: readonly unknown[]; delete: string[] }, actor: string): Promise<RegressionReport> {
    return this.#check(this.toDocuments(input.documents, actor), input.delete);
  }

  rollback(version: number): Promise<IngestReport> {
    return this.#deps.knowledge.rollback(version);
  }

  /** Questions the bot could not answer, grouped by topic, largest groups first. */
  async gaps(limit = 2000): Promise<QuestionGroup[]> {
    return groupQuestions(await this.#deps.conversations.listHandoffQuestions(GAP_REASONS, limit));
  }

  createDraft(input: { question: string; answer: string; lang: "en" | "zh"; conversationId: string | null }, createdBy: string): Draft {
    const now = this.#deps.clock().toISOString();
    return this.#deps.curation.addDraft({ id: randomUUID(), ...input, createdBy, status: "draft", documentId: null, createdAt: now, updatedAt: now });
  }

  listDrafts(status?: Draft["status"]): Draft[] {
    return this.#deps.curation.listDrafts(status);
  }

  updateDraft(id: string, changes: { question?: string; answer?: string; lang?: "en" | "zh" }): Draft {
    this.#requireDraft(id);
    return this.#deps.curation.updateDraft(id, changes, this.#deps.clock().toISOString());
  }

  dismissDraft(id: string): Draft {
    this.#requireDraft(id);
    return this.#deps.curation.updateDraft(id, { status: "dismissed" }, this.#deps.clock().toISOString());
  }

  /** A draft becomes a FAQ entry of its own, published as a new version; the bot cites it from then on. */
  async publishDraft(id: string, actor: string): Promise<{ draft: Draft; report: IngestReport }> {
    const draft = this.#requireDraft(id);
    const slug = `learned-${draft.id.slice(0, 8)}`;
    const report = await this.#deps.knowledge.applyChanges({
      upserts: [{
        id: `faq:${slug}:${draft.lang}`, productId: null, lang: draft.lang, kind: "faq",
        title: draft.question, url: null,
        sections: [{ title: draft.question, text: draft.answer }], source: `api:${actor}`,
      }],
      deletes: [],
      origin: `draft:${draft.id}`,
    });
    const published = this.#deps.curation.updateDraft(id, { status: "published", documentId: `faq:${slug}:${draft.lang}` }, this.#deps.clock().toISOString());
    return { draft: published, report };
  }

  listGolden(): GoldenEntry[] {
    return this.#deps.curation.listGolden();
  }

  replaceGolden(questions: { question: string; productId?: string | null }[]): GoldenEntry[] {
    const now = this.#deps.clock().toISOString();
    this.#deps.curation.replaceGolden(questions.map((entry) => ({ id: randomUUID(), question: entry.question, productId: entry.productId ?? null, createdAt: now })));
    return this.listGolden();
  }

  #requireDraft(id: string): Draft {
    const draft = this.#deps.curation.getDraft(id);
    if (draft.status !== "draft") throw new AppError("INVALID_STATE", `This draft is already ${draft.status}.`);
    return draft;
  }

  /** Build the candidate in a copy of the serving version, replay the golden questions on both, then discard the copy. */
  async #check(upserts: SourceDocument[], deletes: string[]): Promise<RegressionReport> {
    const golden: GoldenQuestion[] = [
      ...this.#deps.curation.listGolden().map((entry) => ({ question: entry.question, productId: entry.productId, origin: "admin" as const })),
      ...(await this.#deps.conversations.listAnsweredQuestions(200)).map((entry) => ({ ...entry, origin: "answered" as const })),
    ];
    const directory = await mkdtemp(join(tmpdir(), "kefu-candidate-"));
    try {
      await this.#deps.knowledge.snapshotTo(directory);
      const candidate = await this.#deps.openCandidate(directory);
      try {
        await candidate.applyChanges({ upserts, deletes, origin: "candidate" });
        return await runRegressionCheck({
          current: viewOf(this.#deps.knowledge),
          candidate: viewOf(candidate),
          questions: golden,
          topK: this.#deps.topK,
          threshold: this.#deps.threshold,
          candidateHasDocument: (documentId) => candidate.hasDocument(documentId),
        });
      } finally {
        await candidate.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }
}

function readFile(filename: string, content: string): { documents: SourceDocument[]; problems: KnowledgeProblem[] } {
  const reader = readerFor(filename);
  return reader ? reader(filename, content) : { documents: [], problems: [{ file: filename, line: null, message: "unknown file type: use .jsonl, .csv or .md" }] };
}

function viewOf(knowledge: KnowledgeBase): KnowledgeView {
  return { retriever: new Retriever(knowledge), catalog: new DocumentProductCatalog((id) => knowledge.getDocument(id)) };
}
