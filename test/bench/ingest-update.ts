import { setTimeout as sleep } from "node:timers/promises";
import type { ProductRecord } from "../../src/knowledge/read-catalog.ts";
import { publishChanges, type PublishResponse } from "./admin-client.ts";
import type { ChatLoad, ProbeTarget, Window } from "./ingest-chat.ts";
import { seconds } from "./format.ts";
import { stallRows, type Tally, type UpdateReport } from "./ingest-report.ts";
import type { BenchContext } from "./scenario.ts";
import type { ServerProcess } from "./start-server-process.ts";

export type UpdateInput = {
  server: ServerProcess;
  chat: ChatLoad;
  adminToken: string;
  products: readonly ProductRecord[];
  totalDocuments: number;
  updateShare: number;
  baselineMs: number;
  afterMs: number;
  updateTimeoutMs: number;
  /** Which of the run's updates this is (0 first): each changes other documents, with tokens of its own. */
  round: number;
};

/**
 * Part (b) of the ingest bench, on the server that published part (a), its shoppers still
 * chatting: an admin publishes a share of the documents changed through the admin API, each with
 * a new unique token; a probe shopper asks about one token until an answer cites the change.
 */
export async function updateWhileChatting(input: UpdateInput, context: BenchContext, fail: Tally): Promise<{ report: UpdateReport; window: Window }> {
  const { server, chat } = input;
  const { signal, progress } = context;

  // The change: every n-th synthetic document (from an offset of the round's) gets a new price and a new attribute with a unique token.
  const count = Math.min(input.products.length, Math.max(1, Math.round(input.updateShare * input.totalDocuments)));
  const stride = Math.max(1, Math.floor(input.products.length / count));
  const changed = Array.from({ length: count }, (_, position) => {
    const product = input.products[(position * stride + input.round) % input.products.length]!;
    const token = `kfupd${input.round.toString(36)}y${position.toString(36)}x${((position * 2_654_435_761) >>> 0).toString(36)}`;
    const key = product.lang === "en" ? "Batch code" : "批次码";
    return { product: { ...product, price: product.price + 1 + (position % 7), attributes: { ...product.attributes, [key]: token } }, token };
  });
  const target = changed.find((entry) => entry.product.lang === "en") ?? changed[0]!;
  // Asked from the changed product's page, as a shopper there would: only the new version holds the answer (the token).
  const probeTarget: ProbeTarget = {
    question: target.product.lang === "en" ? "What is the batch code?" : "批次码是多少？",
    productId: target.product.sku,
    documentId: `product:${target.product.sku}:${target.product.lang}`,
    token: target.token,
    locale: target.product.lang,
  };

  const baselineBegan = performance.now();
  server.resetProbe();
  // The probe question must not be answerable yet: its token does not exist before the update.
  const before = await chat.askOnce(probeTarget);
  progress(`baseline ${seconds(input.baselineMs)} before the update…`);
  await sleep(Math.max(0, input.baselineMs - (performance.now() - baselineBegan)), undefined, { signal });
  const beforeProbe = await server.probe(5_000, { gc: false });
  server.resetProbe();

  progress(`publishing ${changed.length} changed documents (${(input.updateShare * 100).toFixed(1)}%) through the admin API…`);
  const publishAt = performance.now();
  const publishEpoch = performance.timeOrigin + publishAt;
  let responseAt: number | null = null;
  const publishing = publishChanges(server.url, input.adminToken, { documents: changed.map(({ product }) => ({ type: "product", ...product })) }, signal).then((response) => {
    responseAt = performance.now();
    return response;
  });
  const outcome = await chat.probeUntilAnswered(probeTarget, publishAt + input.updateTimeoutMs);
  if (outcome.answerableAt === null) fail("update-not-answerable");
  let published: PublishResponse = { status: 0, body: {} };
  try {
    published = await publishing;
  } catch (error) {
    fail("publish-failed");
    progress(`publish failed: ${(error as Error).message}`);
  }
  if (published.status !== 200 || !published.body.published) fail(`publish-http-${published.status}`);
  const duringEnd = Math.max(responseAt ?? performance.now(), outcome.answerableAt ?? 0);
  const duringProbe = await server.probe(5_000, { gc: false });
  server.resetProbe();
  const rssAfterUpdate = server.memory()?.rssBytes ?? null;
  progress(`update answerable after ${seconds(outcome.answerableAt === null ? null : outcome.answerableAt - publishAt)}, HTTP response after ${seconds(responseAt === null ? null : responseAt - publishAt)}; ${seconds(input.afterMs)} more of chat…`);
  await sleep(input.afterMs, undefined, { signal });
  const afterEnd = performance.now();
  const afterProbe = await server.probe(10_000);

  const report: UpdateReport = {
    changedDocuments: changed.length,
    changedShare: changed.length / input.totalDocuments,
    publish: {
      status: published.status,
      responseMs: responseAt === null ? null : responseAt - publishAt,
      version: published.body.report?.version ?? null,
      updated: published.body.report?.updated ?? null,
      passages: published.body.report?.passages ?? null,
    },
    answerable: {
      afterMs: outcome.answerableAt === null ? null : outcome.answerableAt - publishAt,
      questionSentAfterMs: outcome.questionSentAt === null ? null : outcome.questionSentAt - publishAt,
      probes: outcome.probes,
      answeredBeforeUpdate: before?.cites ?? null,
    },
    before: chat.phase(baselineBegan, publishAt, beforeProbe),
    during: { ...chat.phase(publishAt, duringEnd, duringProbe), windowMs: duringEnd - publishAt },
    after: chat.phase(duringEnd, afterEnd, afterProbe),
    stalls: stallRows([...(duringProbe?.stalls ?? []), ...(afterProbe?.stalls ?? [])], publishEpoch),
    serverRssAfterUpdateBytes: rssAfterUpdate,
    serverHeapAfterGcBytes: afterProbe?.heapUsedAfterGc ?? null,
  };
  return { report, window: { from: publishAt, to: duringEnd } };
}
