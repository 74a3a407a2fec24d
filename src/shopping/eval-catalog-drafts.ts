import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Config } from "../config.ts";
import { isAnswered } from "../eval/eval-metrics.ts";
import type { EvalRecord } from "../eval/eval-record.ts";
import { evaluateSet } from "../eval/evaluate-set.ts";
import { loadKnowledge } from "../knowledge/load-knowledge.ts";
import type { Logger } from "../logger.ts";
import { draftFromAttributes } from "./catalog-faq.ts";

export type DraftAnswers = { questions: number; right: number; handedOff: number; wrong: number };

export type CatalogDraftsEvalSummary = {
  /** page: asked on the product's page; site: asked with no page (the question names the product). */
  mode: "page" | "site";
  products: number;
  /** Drafted questions (product × language × attribute). */
  questions: number;
  /** Asked on the product's page of the catalog as it is: what the bot answers before any draft is published. */
  beforePublishing: DraftAnswers;
  /** Asked again once every draft is published as a FAQ entry, as an admin would after review. */
  afterPublishing: DraftAnswers;
  wrongAfter: { id: string; question: string; expected: string; answer: string }[];
};

/**
 * `kefu eval --catalog-drafts`: draft FAQ entries offline from every product of KNOWLEDGE_DIR's
 * catalog (as Kefu drafts them for a new product), then ask each drafted question (on its product's
 * page, or in site mode with none), first of the catalog alone and then with the drafts published; right = the answer states
 * the drafted fact (the attribute's value), as in the product-page set.
 */
export async function evaluateCatalogDrafts(options: { config: Config; mode: "page" | "site"; logger: Logger; onProgress: (message: string) => void }): Promise<CatalogDraftsEvalSummary> {
  const knowledgeDir = resolve(options.config.knowledgeDir);
  const knowledge = await loadKnowledge(knowledgeDir);
  const entries = knowledge.documents.flatMap((document) => document.product ?? []);
  const drafted = entries.flatMap((entry) => draftFromAttributes(entry).map((pair, index) => ({ entry, pair, id: `cd-${entry.sku}-${entry.lang}-${index + 1}` })));
  const work = await mkdtemp(join(tmpdir(), "kefu-catalog-drafts-"));
  try {
    const setDir = join(work, "set");
    await mkdir(setDir);
    const questions = drafted.map(({ entry, pair, id }) => ({ id, question: pair.question, lang: entry.lang, productId: entry.sku, relevant: [`product:${entry.sku}:${entry.lang}`], answerable: true, facts: [[pair.fact ?? pair.answer]] }));
    await writeFile(join(setDir, "questions.jsonl"), questions.map((question) => JSON.stringify(question)).join("\n") + "\n");
    const ask = async (dir: string, label: string) => {
      options.onProgress(`${label}:`);
      const config = { ...options.config, knowledgeDir: dir, dataDir: join(work, `data-${label}`) };
      return (await evaluateSet({ setDir, config, mode: options.mode, retrieverMode: "hybrid", logger: options.logger, onProgress: options.onProgress })).records;
    };
    const before = await ask(knowledgeDir, "before");
    const published = join(work, "knowledge");
    await cp(knowledgeDir, published, { recursive: true });
    for (const lang of ["en", "zh"] as const) {
      const pairs = drafted.filter(({ entry }) => entry.lang === lang);
      const body = pairs.map(({ pair }) => `## ${pair.question.replaceAll("\n", " ")}\n\n${pair.answer}\n`).join("\n");
      await writeFile(join(published, `catalog-drafts-${lang}.md`), `---\nid: catalog-drafts\ntitle: ${lang === "zh" ? "商品常见问题" : "Product FAQ"}\nlang: ${lang}\ncategory: faq\n---\n\n${body}`);
    }
    const after = await ask(published, "after");
    const threshold = options.config.handoff.threshold;
    return {
      mode: options.mode,
      products: new Set(entries.map((entry) => entry.sku)).size,
      questions: questions.length,
      beforePublishing: tally(before, threshold),
      afterPublishing: tally(after, threshold),
      wrongAfter: after
        .filter((record) => isAnswered(record, threshold) && record.holdsFacts !== true)
        .map((record) => ({ id: record.id, question: record.question, expected: (record.facts ?? []).flat().join(" / "), answer: record.answerText })),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function tally(records: readonly EvalRecord[], threshold: number): DraftAnswers {
  const answered = records.filter((record) => isAnswered(record, threshold));
  const right = answered.filter((record) => record.holdsFacts === true).length;
  return { questions: records.length, right, wrong: answered.length - right, handedOff: records.length - answered.length };
}

export function formatCatalogDraftsReport(summary: CatalogDraftsEvalSummary): string {
  const line = (label: string, figures: DraftAnswers) =>
    `  ${label}: right ${figures.right}/${figures.questions} (${((figures.right / Math.max(1, figures.questions)) * 100).toFixed(1)}%)  wrong ${figures.wrong}  handed off ${figures.handedOff}`;
  return [
    `FAQ drafted from the catalog: ${summary.questions} questions from ${summary.products} products (zh and en, offline drafter)`,
    line("before publishing the drafts", summary.beforePublishing),
    line("after publishing the drafts ", summary.afterPublishing),
    ...(summary.wrongAfter.length > 0 ? ["  answered without the drafted fact after publishing:"] : []),
    ...summary.wrongAfter.slice(0, 20).map((wrong) => `    ${wrong.id} ${wrong.question}\n      expected: ${wrong.expected}\n      answer:   ${wrong.answer.replace(/\s+/g, " ").slice(0, 160)}`),
    `  right = answered (confidence reaches the hand-off threshold) and the answer states the drafted fact; asked ${summary.mode === "page" ? "on the product's page" : "with no product page (the question names it)"}`,
  ].join("\n");
}
