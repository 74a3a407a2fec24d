import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { readCatalogCsv, readCatalogJsonl } from "./read-catalog.ts";
import { readFaqMarkdown } from "./read-faq.ts";
import { readPassagesJsonl } from "./read-passages.ts";
import type { KnowledgeProblem, SourceDocument } from "./source-document.ts";

export type LoadedKnowledge = {
  documents: SourceDocument[];
  problems: KnowledgeProblem[];
  /** Every knowledge file seen, as "file:<relative path>", whether it was read or rejected. */
  sources: string[];
  /** Sources rejected whole: their earlier documents stay as they were. */
  rejectedSources: string[];
  /** Content hash of every source read, so a file that has not changed since it was ingested can be skipped. */
  fileHashes?: Map<string, string>;
};

/**
 * Read every knowledge file under a folder. A file with any problem is rejected whole and its
 * problems reported with file and line; the other files are still read.
 */
export async function loadKnowledge(directory: string): Promise<LoadedKnowledge> {
  const fileHashes = new Map<string, string>();
  const result: LoadedKnowledge = { documents: [], problems: [], sources: [], rejectedSources: [], fileHashes };
  const files = (await listFiles(directory)).sort();
  for (const path of files) {
    const file = relative(directory, path).split(sep).join("/");
    const reader = readerFor(file);
    if (!reader) continue;
    const content = await readFile(path, "utf8");
    const read = reader(file, content);
    result.sources.push(`file:${file}`);
    fileHashes.set(`file:${file}`, createHash("sha256").update(content).digest("hex"));
    if (read.problems.length > 0) {
      result.problems.push(...read.problems);
      result.rejectedSources.push(`file:${file}`);
    } else {
      result.documents.push(...read.documents);
    }
  }
  const seen = new Map<string, string>();
  for (const document of result.documents) {
    const other = seen.get(document.id);
    if (other) result.problems.push({ file: document.source.slice(5), line: null, message: `document id ${document.id} is also defined in ${other.slice(5)}; the first one is used` });
    else seen.set(document.id, document.source);
  }
  result.documents = result.documents.filter((document) => seen.get(document.id) === document.source);
  return result;
}

type Reader = (file: string, content: string) => { documents: SourceDocument[]; problems: KnowledgeProblem[] };

/** The reader of a knowledge file, by its name; null for files that are not knowledge (README.md, others). */
export function readerFor(file: string): Reader | null {
  const extension = extname(file).toLowerCase();
  if (file.toLowerCase().endsWith("readme.md")) return null;
  if (extension === ".md" || extension === ".markdown") return readFaqMarkdown;
  if (extension === ".csv") return readCatalogCsv;
  if (extension === ".jsonl" || extension === ".ndjson") return readJsonLines;
  return null;
}

/** Catalog JSON Lines carry "sku"; anything else is read as ready-made passages. */
function readJsonLines(file: string, content: string) {
  const first = content.split(/\r?\n/).find((line) => line.trim());
  return first && /"sku"\s*:/.test(first) ? readCatalogJsonl(file, content) : readPassagesJsonl(file, content);
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && !entry.name.startsWith(".")).map((entry) => join(entry.parentPath, entry.name));
}
