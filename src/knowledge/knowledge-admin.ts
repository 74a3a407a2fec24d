import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import type { ConversationStore } from "../conversations/conversation-store.ts";
import { AppError } from "../errors.ts";
import { locale } from "../protocol/chat-payloads.ts";
import type { PassageIndex } from "../retrieval/passage-index.ts";
import type { FolderSync } from "./folder-sync.ts";
import { groupQuestions, type QuestionGroup } from "./group-questions.ts";
import type { IngestReport, KnowledgeStore } from "./knowledge-store.ts";
import { readerFor } from "./load-knowledge.ts";
import { describeIssues } from "./parse-json-lines.ts";
import { productRecord, productToDocument } from "./read-catalog.ts";
import { DocumentProductCatalog } from "../catalog/product-catalog.ts";
import { runRegressionCheck, type GoldenQuestion, type KnowledgeView, type RegressionReport } from "./regression-check.ts";
import { linkUrl, type KnowledgeProblem, type SourceDocument } from "./source-document.ts";
import type { CurationStore, Draft, GoldenEntry } from "./curation-store.ts";
import { LoopSlices } from "../loop-slices.ts";

/** A document as the admin API takes it: a product, a FAQ page, or a whole file in a knowledge format. */
export const adminDocument = z.discriminatedUnion("type", [
  productRecord.extend({ type: z.literal("product") }),
  z.strictObject({
    type: z.literal("faq"),
    id: z.string().trim().min(1).max(100).regex(/^[\w.-]+$/),
    title: z.string().trim().min(1).max(300),
    lang: locale,
    category: z.string().trim().min(1).max(50).default("faq"),
    url: linkUrl,
    entries: z.array(z.strictObject({ question: z.string().trim().min(1).max(500), answer: z.string().trim().min(1).max(20_000) })).min(1),
  }),
  z.strictObject({ type: z.literal("file"), filename: z.string().trim().min(1).max(200), content: z.string().max(5_000_000) }),
]);
export type AdminDocument = z.input<typeof adminDocument>;
/** What a new FAQ draft says (an agent's, or one drafted from the catalog). */
export type DraftInput = { question: string; answer: string; lang: "en" | "zh"; conversationId: string | null };

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

export type CandidateKnowledge = { knowledge: KnowledgeStore; passages: PassageIndex; close(): Promise<void> };

export type KnowledgeAdminDeps = {
  knowledge: KnowledgeStore;
  /** Search over the serving version. */
  passages: PassageIndex;
  folder: FolderSync;
  curation: CurationStore;
  conversations: ConversationStore;
  /** Open a knowledge store and its search in another folder, with the serving embedder (for candidates). */
  openCandidate: (directory: string) => Promise<CandidateKnowledge>;
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

  /**
   * Parse API documents with the same rules as knowledge files; any problem rejects the whole
   * request. In slices: a request may carry thousands of documents, and acks go on meanwhile.
   */
  async toDocuments(inputs: readonly unknown[], actor: string): Promise<SourceDocument[]> {
    const documents: SourceDocument[] = [];
    const problems: KnowledgeProblem[] = [];
    const slices = new LoopSlices();
    for (const [index, input] of inputs.entries()) {
      await slices.pause();
      const parsed = adminDocument.safeParse(input);
      if (!parsed.success) {
        problems.push({ file: `documents[${index}]`, line: null, message: describeIssues(parsed.error) });
        continue;
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
    }
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
    const upserts = (await this.toDocuments(input.documents, actor)).map((document) => (source ? { ...document, source } : document));
    if (source) {
      const kept = new Set(upserts.map((document) => document.id));
      input = { ...input, delete: [...input.delete, ...(await this.#deps.knowledge.listDocumentIds(source)).filter((id) => !kept.has(id))] };
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
    return this.#check(await this.toDocuments(input.documents, actor), input.delete);
  }

  rollback(version: number): Promise<IngestReport> {
    return this.#deps.knowledge.rollback(version);
  }

  /** Questions the bot could not answer, grouped by topic, largest groups first. */
  async gaps(limit = 2000): Promise<QuestionGroup[]> {
    return groupQuestions(await this.#deps.conversations.listHandoffQuestions(GAP_REASONS, limit));
  }

  async createDraft(input: DraftInput, createdBy: string): Promise<Draft> {
    const [draft] = await this.createDrafts([{ ...input, createdBy }]);
    return draft!;
  }

  /** Several drafts in one write (FAQ drafts from the catalog after a publish). */
  async createDrafts(inputs: readonly (DraftInput & { createdBy: string })[]): Promise<Draft[]> {
    const now = this.#deps.clock().toISOString();
    const drafts: Draft[] = inputs.map((input) => ({ id: randomUUID(), ...input, status: "draft", documentId: null, createdAt: now, updatedAt: now }));
    await this.#deps.curation.addDrafts(drafts);
    return drafts;
  }

  listDrafts(status?: Draft["status"]): Promise<Draft[]> {
    return this.#deps.curation.listDrafts(status);
  }

  async updateDraft(id: string, changes: { question?: string; answer?: string; lang?: "en" | "zh" }): Promise<Draft> {
    await this.#requireDraft(id);
    return this.#deps.curation.updateDraft(id, changes, this.#deps.clock().toISOString());
  }

  /** Dismiss those of these drafts still unreviewed, in one write (a changed product's catalog drafts); resolves with how many. */
  async withdrawDrafts(ids: readonly string[]): Promise<number> {
    return ids.length === 0 ? 0 : (await this.#deps.curation.withdrawDrafts(ids, this.#deps.clock().toISOString())).length;
  }

  async dismissDraft(id: string): Promise<Draft> {
    await this.#requireDraft(id);
    return this.#deps.curation.updateDraft(id, { status: "dismissed" }, this.#deps.clock().toISOString());
  }

  /** A draft becomes a FAQ entry of its own, published as a new version; the bot cites it from then on. */
  async publishDraft(id: string, actor: string): Promise<{ draft: Draft; report: IngestReport }> {
    const draft = await this.#requireDraft(id);
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
    const published = await this.#deps.curation.updateDraft(id, { status: "published", documentId: `faq:${slug}:${draft.lang}` }, this.#deps.clock().toISOString());
    return { draft: published, report };
  }

  listGolden(): Promise<GoldenEntry[]> {
    return this.#deps.curation.listGolden();
  }

  async replaceGolden(questions: { question: string; productId?: string | null }[]): Promise<GoldenEntry[]> {
    const now = this.#deps.clock().toISOString();
    await this.#deps.curation.replaceGolden(questions.map((entry) => ({ id: randomUUID(), question: entry.question, productId: entry.productId ?? null, createdAt: now })));
    return this.listGolden();
  }

  async #requireDraft(id: string): Promise<Draft> {
    const draft = await this.#deps.curation.getDraft(id);
    if (draft.status !== "draft") throw new AppError("INVALID_STATE", `This draft is already ${draft.status}.`);
    return draft;
  }

  /** Build the candidate in a copy of the serving version, replay the golden questions on both, then discard the copy. */
  async #check(upserts: SourceDocument[], deletes: string[]): Promise<RegressionReport> {
    const golden: GoldenQuestion[] = [
      ...(await this.#deps.curation.listGolden()).map((entry) => ({ question: entry.question, productId: entry.productId, origin: "admin" as const })),
      ...(await this.#deps.conversations.listAnsweredQuestions(200)).map((entry) => ({ ...entry, origin: "answered" as const })),
    ];
    const directory = await mkdtemp(join(tmpdir(), "kefu-candidate-"));
    try {
      await this.#deps.knowledge.snapshotTo(directory);
      const candidate = await this.#deps.openCandidate(directory);
      try {
        await candidate.knowledge.applyChanges({ upserts, deletes, origin: "candidate" });
        return await runRegressionCheck({
          current: viewOf(this.#deps.knowledge, this.#deps.passages),
          candidate: viewOf(candidate.knowledge, candidate.passages),
          questions: golden,
          topK: this.#deps.topK,
          threshold: this.#deps.threshold,
          candidateHasDocument: (documentId) => candidate.knowledge.hasDocument(documentId),
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

function viewOf(knowledge: KnowledgeStore, passages: PassageIndex): KnowledgeView {
  return { retriever: passages, catalog: new DocumentProductCatalog((id) => knowledge.getDocument(id)) };
}
