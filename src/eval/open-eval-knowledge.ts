import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLocalKnowledge, type LocalKnowledge } from "../knowledge/open-local-knowledge.ts";
import type { LoadedKnowledge } from "../knowledge/load-knowledge.ts";
import type { Logger } from "../logger.ts";
import type { Embedder } from "../retrieval/embedder.ts";
import type { EvalSet } from "./load-eval-set.ts";

/**
 * The knowledge base of a case set, built by the real ingestion into a data folder under the OS
 * temp folder and reused by later runs. The folder is keyed by the docs file, the embedder, and the
 * source of the code that decides what is stored (splitting, segmentation, embedding, indexing):
 * KnowledgeBase skips documents whose content hash is unchanged, so without the code in the key a
 * change to, say, segmentation would be measured against an index built by the old code.
 */
export async function openEvalKnowledge(options: {
  set: EvalSet;
  embedder: Embedder;
  ef: number;
  logger: Logger;
  onProgress: (message: string) => void;
}): Promise<LocalKnowledge> {
  const { set, embedder, ef, logger, onProgress } = options;
  const key = createHash("sha256").update(`${set.docsHash}\n${embedder.id}\n${await hashIngestionCode()}`).digest("hex").slice(0, 16);
  const dataDir = join(tmpdir(), "kefu-eval", `${set.name}-${key}`);
  // With the file hash given, a reused index skips even the per-document comparison.
  const loaded: LoadedKnowledge = {
    documents: set.documents,
    problems: [],
    sources: ["file:docs.jsonl"],
    rejectedSources: [],
    fileHashes: new Map([["file:docs.jsonl", set.docsHash]]),
  };
  // A cache folder is only ever the result of a finished build: it is built beside its final
  // name and renamed into place, so an interrupted or concurrent run never reuses half an index.
  if (!existsSync(dataDir)) {
    onProgress(`building the index of ${set.name} (${set.documents.length} documents, embedder ${embedder.id}) in ${dataDir}`);
    const building = `${dataDir}.building-${process.pid}`;
    await rm(building, { recursive: true, force: true });
    const fresh = await openLocalKnowledge({ dataDir: building, embedder, ef, synchronous: "normal", logger });
    try {
      await fresh.knowledge.sync(loaded);
      // Build and save the vector index in the cache too, so that later runs only load it.
      await (await fresh.reader()).checkpoint();
    } finally {
      await fresh.close();
    }
    try {
      await rename(building, dataDir);
    } catch (error) {
      // Another run finished the same build first; its folder is as good as ours.
      await rm(building, { recursive: true, force: true });
      if (!existsSync(dataDir)) throw error;
    }
  } else {
    onProgress(`reusing the index of ${set.name} in ${dataDir}`);
  }
  // The cache is disposable, so synchronous=normal (no fsync per commit) is the right trade here.
  const local = await openLocalKnowledge({ dataDir, embedder, ef, synchronous: "normal", logger });
  await local.knowledge.sync(loaded);
  return local;
}

/** Hash of the source files that shape the stored passages, terms and vectors. */
async function hashIngestionCode(): Promise<string> {
  const source = new URL("../", import.meta.url);
  const hash = createHash("sha256");
  for (const folder of ["knowledge", "text", "storage", "retrieval"]) {
    const directory = new URL(`${folder}/`, source);
    const files = (await readdir(directory)).filter((file) => file.endsWith(".ts") && (folder !== "retrieval" || /embedder|vector-index/.test(file))).sort();
    for (const file of files) hash.update(`${folder}/${file}\n`).update(await readFile(new URL(file, directory)));
  }
  return hash.digest("hex");
}
