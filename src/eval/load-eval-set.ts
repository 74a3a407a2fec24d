import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { loadKnowledge } from "../knowledge/load-knowledge.ts";
import { parseJsonLines } from "../knowledge/parse-json-lines.ts";
import { readPassagesJsonl } from "../knowledge/read-passages.ts";
import type { SourceDocument } from "../knowledge/source-document.ts";
import { locale } from "../protocol/chat-payloads.ts";
import type { EvalQuestion } from "./eval-record.ts";

export type EvalSet = {
  /** The folder's name, e.g. "epqa-dev". */
  name: string;
  /** sha256 of docs.jsonl: the cache key of the index built from it. */
  docsHash: string;
  documents: SourceDocument[];
  questions: EvalQuestion[];
  /** docs.jsonl lines that could not be read, as "file:line: message"; those documents are left out. */
  skipped: string[];
  /** Doubts about the set that do not stop a run, e.g. question ids used on several lines. */
  warnings: string[];
};

const questionRecord = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  lang: locale,
  productId: z.string().nullable(),
  relevant: z.array(z.string()).default([]),
  partial: z.array(z.string()).default([]),
  answers: z.array(z.string()).default([]),
  answerable: z.boolean().nullable(),
  /** Product-page sets: what a right answer must contain (every group; a group lists alternatives). */
  facts: z.array(z.array(z.string().min(1)).min(1)).optional(),
});

/**
 * Read a case set folder (docs.jsonl + questions.jsonl). The documents go through the same reader
 * as knowledge files. A bad docs line is skipped and reported (ingestion would reject the whole
 * file, but a set is third-party data we cannot fix, and one missing passage costs at most the
 * questions that cite it); a bad question line fails the set, since it would silently change
 * what every figure is a share of.
 */
export async function loadEvalSet(directory: string, knowledgeDir?: string): Promise<EvalSet> {
  const folder = resolve(directory);
  const questionsContent = await readSetFile(folder, "questions.jsonl");
  // A set without docs.jsonl asks about the store's own knowledge folder (the product-page set).
  const ownKnowledge = !existsSync(join(folder, "docs.jsonl")) && knowledgeDir !== undefined;
  const docsContent = ownKnowledge ? null : await readSetFile(folder, "docs.jsonl");
  const docs = docsContent === null ? await readKnowledgeFolder(knowledgeDir!) : readPassagesJsonl("docs.jsonl", docsContent);
  const skipped = docs.problems.map((problem) => `${problem.file}:${problem.line ?? "-"}: ${problem.message}`);
  const parsed = parseJsonLines("questions.jsonl", questionsContent, questionRecord);
  const questions: EvalQuestion[] = parsed.values;
  const problems = parsed.problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).join("\n  ");
    const more = problems.length > 20 ? `\n  … and ${problems.length - 20} more` : "";
    throw new AppError("BAD_REQUEST", `Case set ${folder} has bad question lines:\n  ${shown}${more}`);
  }
  return {
    name: basename(folder),
    docsHash: createHash("sha256").update(docsContent ?? JSON.stringify(docs.documents)).digest("hex"),
    documents: docs.documents,
    questions: mergeDuplicateQuestions(questions),
    skipped,
    warnings: findDuplicateQuestions(questions),
  };
}

/**
 * Every line is scored as its own question, as FORMAT.md defines; but an id on several lines
 * usually means one question was split per source passage, and when those lines disagree on
 * `answerable` the answerability and hand-off figures count the same question both ways.
 */
function findDuplicateQuestions(questions: readonly EvalQuestion[]): string[] {
  const byId = new Map<string, EvalQuestion[]>();
  for (const question of questions) {
    const lines = byId.get(question.id);
    if (lines) lines.push(question);
    else byId.set(question.id, [question]);
  }
  const repeated = [...byId.values()].filter((lines) => lines.length > 1);
  if (repeated.length === 0) return [];
  const conflicting = repeated.filter((lines) => new Set(lines.map((line) => line.answerable)).size > 1);
  return [
    `merged: ${repeated.length} question ids appear on more than one line (${repeated.reduce((sum, lines) => sum + lines.length, 0)} lines); ` +
      `${conflicting.length} of them have lines that disagree on answerable, e.g. ${conflicting[0]?.[0]?.id ?? repeated[0]![0]!.id}`,
  ];
}

/**
 * One question per id: lines repeating an id (one per source passage) are merged, their relevant
 * and partial ids united, and the question answerable when any line says so (null when only
 * partial evidence exists), so no question is counted both ways.
 */
function mergeDuplicateQuestions(questions: readonly EvalQuestion[]): EvalQuestion[] {
  const byId = new Map<string, EvalQuestion>();
  for (const question of questions) {
    const seen = byId.get(question.id);
    if (!seen) {
      byId.set(question.id, { ...question, relevant: [...question.relevant], partial: [...question.partial], answers: [...question.answers] });
      continue;
    }
    seen.relevant = [...new Set([...seen.relevant, ...question.relevant])];
    seen.partial = [...new Set([...seen.partial, ...question.partial])];
    seen.answers = [...new Set([...seen.answers, ...question.answers])];
    seen.answerable = seen.answerable === true || question.answerable === true ? true : seen.answerable === null || question.answerable === null ? null : false;
  }
  return [...byId.values()];
}

async function readSetFile(folder: string, file: string): Promise<string> {
  try {
    return await readFile(join(folder, file), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new AppError("NOT_FOUND", `${join(folder, file)} not found: a case set folder holds docs.jsonl and questions.jsonl.`);
    }
    throw error;
  }
}

/** Every document of a knowledge folder, as one source (the eval index is keyed by its content). */
async function readKnowledgeFolder(directory: string): Promise<{ documents: SourceDocument[]; problems: { file: string; line: number | null; message: string }[] }> {
  const loaded = await loadKnowledge(directory);
  return { documents: loaded.documents.map((document) => ({ ...document, source: "file:docs.jsonl" })), problems: loaded.problems };
}
