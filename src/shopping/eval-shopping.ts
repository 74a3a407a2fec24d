import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { loadKnowledge } from "../knowledge/load-knowledge.ts";
import { parseJsonLines } from "../knowledge/parse-json-lines.ts";
import { locale } from "../protocol/chat-payloads.ts";
import { detectLanguage } from "../text/segment.ts";
import { NO_RECORDER, type RecommendationStore } from "./recommendation-store.ts";
import { groupEntries, type ShopProduct } from "./shop-product.ts";
import { ShoppingAssistant, type ShoppingSettings } from "./shopping-assistant.ts";

/**
 * `kefu eval` on a shopping question set: a folder with shopping.json ({"today": "YYYY-MM-DD"},
 * the date the set's "new" and "this month" are relative to) and questions.jsonl, one question a
 * line with the products a good answer recommends. Each is asked of the shopping assistant over the
 * store's catalog (KNOWLEDGE_DIR) exactly as in chat; precision and recall are of the recommended
 * products (cards that meet the question, not the "closest" ones shown when nothing does).
 */
const questionRecord = z.strictObject({
  id: z.string().min(1),
  question: z.string().min(1),
  lang: locale,
  kind: z.enum(["discover", "compare", "related", "alternatives", "none"]),
  productId: z.string().nullable().default(null),
  /** Products of the bot's previous answer, for "these two". */
  previous: z.array(z.string()).default([]),
  expected: z.array(z.string()),
});
type ShoppingQuestion = z.infer<typeof questionRecord>;

export type ShoppingEvalRecord = { id: string; kind: string; lang: string; question: string; expected: string[]; recommended: string[]; answered: boolean; precision: number; recall: number };

export type ShoppingEvalSummary = {
  questions: number;
  precision: number;
  recall: number;
  /** Questions where the recommended set equals the expected one. */
  exact: number;
  byKind: Record<string, { questions: number; precision: number; recall: number }>;
  byLanguage: Record<string, { questions: number; precision: number; recall: number }>;
};

const NOT_STORED: RecommendationStore = {
  recordShown: async () => [],
  recordClicked: async () => "unknown",
  listCounts: async () => [],
  close: async () => undefined,
};

export async function evaluateShoppingSet(options: { setDir: string; knowledgeDir: string; settings: ShoppingSettings }): Promise<{ summary: ShoppingEvalSummary; records: ShoppingEvalRecord[] }> {
  const folder = resolve(options.setDir);
  const meta = z.strictObject({ today: z.iso.date() }).safeParse(JSON.parse(await readFile(join(folder, "shopping.json"), "utf8")));
  if (!meta.success) throw new AppError("BAD_REQUEST", `${folder}/shopping.json must be {"today": "YYYY-MM-DD"}.`);
  const parsed = parseJsonLines("questions.jsonl", await readFile(join(folder, "questions.jsonl"), "utf8"), questionRecord);
  if (parsed.problems.length > 0) throw new AppError("BAD_REQUEST", `Bad question lines: ${parsed.problems.slice(0, 5).map((problem) => `${problem.line}: ${problem.message}`).join("; ")}`);
  const knowledge = await loadKnowledge(resolve(options.knowledgeDir));
  const products: ShopProduct[] = groupEntries(knowledge.documents.flatMap((document) => document.product ?? []));
  const assistant = new ShoppingAssistant({
    catalog: { products: async () => products },
    store: NOT_STORED,
    recorder: NO_RECORDER,
    settings: options.settings,
    clock: () => new Date(`${meta.data.today}T12:00:00Z`),
  });
  const records: ShoppingEvalRecord[] = [];
  for (const question of parsed.values) records.push(await ask(assistant, question));
  return { summary: summarise(records), records };
}

async function ask(assistant: ShoppingAssistant, question: ShoppingQuestion): Promise<ShoppingEvalRecord> {
  const reply = await assistant.reply({ question: question.question, language: detectLanguage(question.question), pageSku: question.productId, previousSkus: question.previous });
  const recommended = (reply?.products ?? []).filter((card) => card.fit === "match").map((card) => card.sku);
  const expected = new Set(question.expected);
  const hits = recommended.filter((sku) => expected.has(sku)).length;
  return {
    id: question.id,
    kind: question.kind,
    lang: question.lang,
    question: question.question,
    expected: question.expected,
    recommended,
    answered: reply !== null,
    // Recommending nothing when nothing fits is right on both counts.
    precision: recommended.length === 0 ? (expected.size === 0 ? 1 : 0) : hits / recommended.length,
    recall: expected.size === 0 ? (recommended.length === 0 ? 1 : 0) : hits / expected.size,
  };
}

function summarise(records: ShoppingEvalRecord[]): ShoppingEvalSummary {
  const mean = (items: ShoppingEvalRecord[], key: "precision" | "recall") => (items.length === 0 ? 0 : items.reduce((sum, item) => sum + item[key], 0) / items.length);
  const group = (by: (record: ShoppingEvalRecord) => string) => {
    const groups: ShoppingEvalSummary["byKind"] = {};
    for (const name of new Set(records.map(by))) {
      const items = records.filter((record) => by(record) === name);
      groups[name] = { questions: items.length, precision: mean(items, "precision"), recall: mean(items, "recall") };
    }
    return groups;
  };
  return {
    questions: records.length,
    precision: mean(records, "precision"),
    recall: mean(records, "recall"),
    exact: records.filter((record) => record.precision === 1 && record.recall === 1).length,
    byKind: group((record) => record.kind),
    byLanguage: group((record) => record.lang),
  };
}

export function formatShoppingReport(summary: ShoppingEvalSummary, records: readonly ShoppingEvalRecord[]): string {
  const pct = (value: number) => value.toFixed(3);
  const lines = [
    `shopping questions: ${summary.questions}`,
    `precision of recommended products: ${pct(summary.precision)}  (target ≥ 0.9: ${summary.precision >= 0.9 ? "PASS" : "MISS"})`,
    `recall of recommended products:    ${pct(summary.recall)}  (target ≥ 0.9: ${summary.recall >= 0.9 ? "PASS" : "MISS"})`,
    `exactly right: ${summary.exact}/${summary.questions}`,
    "",
    "by kind:",
    ...Object.entries(summary.byKind).map(([kind, group]) => `  ${kind.padEnd(13)} ${String(group.questions).padStart(3)}  precision ${pct(group.precision)}  recall ${pct(group.recall)}`),
    "by language:",
    ...Object.entries(summary.byLanguage).map(([lang, group]) => `  ${lang.padEnd(13)} ${String(group.questions).padStart(3)}  precision ${pct(group.precision)}  recall ${pct(group.recall)}`),
  ];
  const wrong = records.filter((record) => record.precision < 1 || record.recall < 1);
  if (wrong.length > 0) {
    lines.push("", "not exactly right:");
    for (const record of wrong) lines.push(`  ${record.id} ${JSON.stringify(record.question)} expected [${record.expected.join(", ")}] got [${record.recommended.join(", ")}]`);
  }
  return lines.join("\n");
}
