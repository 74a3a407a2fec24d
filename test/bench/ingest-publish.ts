import { rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { ProductRecord } from "../../src/knowledge/read-catalog.ts";
import type { ChatLoad, ProbeTarget } from "./ingest-chat.ts";
import { seconds } from "./format.ts";
import { stallRows, type PublishReport, type Tally } from "./ingest-report.ts";
import type { BenchContext } from "./scenario.ts";
import type { ServerProcess } from "./start-server-process.ts";

/** The generated catalog's file in the knowledge folder; written under a dot name first (the loader skips those), then renamed. */
export const CATALOG_FILE = "bench-catalog.jsonl";
const HIDDEN_FILE = `.${CATALOG_FILE}`;

/** A server log record the bench watches for (LOG_LEVEL=info): what it says and when (Unix ms). */
export type LogMark = { msg: string; time: number; record: Record<string, unknown> };
export const WATCHED_LOGS = new Set(["knowledge version published", "FAQ drafted from the catalog"]);

/**
 * Write the generated catalog as catalog JSON Lines (what the loader reads back as the same
 * documents), hidden, before the server starts: the bench's own heap then holds no file content
 * while it times acks, and the publish is one rename.
 */
export async function stageCatalogFile(knowledgeDir: string, products: readonly ProductRecord[]): Promise<number> {
  const path = join(knowledgeDir, HIDDEN_FILE);
  const lines: string[] = [];
  for (const product of products) lines.push(JSON.stringify(product));
  await writeFile(path, `${lines.join("\n")}\n`);
  return (await stat(path)).size;
}

export type PublishInput = {
  server: ServerProcess;
  chat: ChatLoad;
  knowledgeDir: string;
  products: readonly ProductRecord[];
  fileBytes: number;
  logMarks: readonly LogMark[];
  baselineMs: number;
  afterMs: number;
  timeoutMs: number;
};

/**
 * Part (a) of the ingest bench, on the real server: shoppers chat while the generated catalog
 * appears in the knowledge folder the server watches; the server's folder watcher reads it, the
 * writer thread publishes it and the search workers build their index, until a probe question
 * about a generated product is answered citing it. The figure is the server's own event loop
 * (its probe) from the file's arrival until `afterMs` after it is answerable.
 */
export async function publishThroughFolder(input: PublishInput, context: BenchContext, fail: Tally): Promise<PublishReport> {
  const { server, chat, products } = input;
  const { signal, progress } = context;
  const target = products[Math.floor(products.length / 2)]!;
  const en = target.lang === "en" ? target : (products.find((product) => product.sku === target.sku && product.lang === "en") ?? target);
  const model = en.attributes[en.lang === "en" ? "Model" : "型号"] ?? null;
  const probeTarget: ProbeTarget = {
    question: en.lang === "en" ? "What is the model?" : "型号是什么？",
    productId: en.sku,
    documentId: `product:${en.sku}:${en.lang}`,
    token: model,
    locale: en.lang,
  };

  const baselineBegan = performance.now();
  server.resetProbe();
  const before = await chat.askOnce(probeTarget);
  progress(`${chat.shopperCount} shoppers chatting on the sample store; baseline ${seconds(input.baselineMs)}…`);
  await sleep(Math.max(0, input.baselineMs - (performance.now() - baselineBegan)), undefined, { signal });
  const beforeProbe = await server.probe(5_000, { gc: false });

  progress(`publishing ${products.length} documents: ${CATALOG_FILE} (${(input.fileBytes / 1024 / 1024).toFixed(1)} MB) appears in the watched knowledge folder…`);
  server.resetProbe();
  const writtenAt = performance.now();
  const writtenEpoch = performance.timeOrigin + writtenAt;
  await rename(join(input.knowledgeDir, HIDDEN_FILE), join(input.knowledgeDir, CATALOG_FILE));
  const outcome = await chat.probeUntilAnswered(probeTarget, writtenAt + input.timeoutMs);
  if (outcome.answerableAt === null) fail("catalog-not-answerable");
  const duringEnd = outcome.answerableAt ?? performance.now();
  const duringProbe = await server.probe(5_000, { gc: false });
  server.resetProbe();
  progress(`catalog answerable after ${seconds(outcome.answerableAt === null ? null : outcome.answerableAt - writtenAt)}; ${seconds(input.afterMs)} more of chat…`);
  await sleep(input.afterMs, undefined, { signal });
  const afterEnd = performance.now();
  const afterProbe = await server.probe(10_000, { gc: false });
  const ready = await readReady(server.url, signal);

  const markAfter = (msg: string) => {
    const mark = input.logMarks.find((entry) => entry.msg === msg && entry.time >= writtenEpoch - 5);
    return mark ? { at: mark.time - writtenEpoch, record: mark.record } : null;
  };
  const published = markAfter("knowledge version published");
  const drafted = markAfter("FAQ drafted from the catalog");
  const passages = ready.passages ?? (typeof published?.record.passages === "number" ? published.record.passages : null);
  const answerableMs = outcome.answerableAt === null ? null : outcome.answerableAt - writtenAt;
  const windowStalls = [...(duringProbe?.stalls ?? []), ...(afterProbe?.stalls ?? [])];
  const during = { ...chat.phase(writtenAt, duringEnd, duringProbe), windowMs: duringEnd - writtenAt };
  const after = chat.phase(duringEnd, afterEnd, afterProbe);
  return {
    file: { name: CATALOG_FILE, bytes: input.fileBytes, products: products.length },
    passages,
    knowledgeVersion: ready.knowledgeVersion,
    publishedMs: published?.at ?? null,
    faqDraftedMs: drafted?.at ?? null,
    answerableMs,
    answerableQuestionSentMs: outcome.questionSentAt === null ? null : outcome.questionSentAt - writtenAt,
    passagesPerSecond: passages !== null && answerableMs !== null ? passages / (answerableMs / 1000) : null,
    probes: outcome.probes,
    answeredBefore: before?.cites ?? null,
    before: chat.phase(baselineBegan, writtenAt, beforeProbe),
    during,
    after,
    longestBlockMs: Math.max(during.eventLoopDelayMs?.max ?? -Infinity, after.eventLoopDelayMs?.max ?? -Infinity),
    longestRunningMs: Math.max(0, ...windowStalls.map((stall) => stall.runningMs ?? 0)),
    stalls: stallRows(windowStalls, writtenEpoch),
    baselineStalls: stallRows(beforeProbe?.stalls ?? [], writtenEpoch),
    serverRssBytes: server.memory()?.rssBytes ?? null,
  };
}

async function readReady(url: string, signal: AbortSignal): Promise<{ passages: number | null; knowledgeVersion: number | null }> {
  try {
    const body = (await (await fetch(`${url}/readyz`, { signal })).json()) as { passages?: number; knowledgeVersion?: number };
    return { passages: body.passages ?? null, knowledgeVersion: body.knowledgeVersion ?? null };
  } catch {
    return { passages: null, knowledgeVersion: null };
  }
}
