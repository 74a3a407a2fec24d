import { describe, expect, it } from "vitest";
import { computeEvalMetrics, computeHandoffCurve, computeHandoffMetrics, computeLatencyMetrics, computeRetrievalMetrics, findFirstMatchRank, percentile } from "../../src/eval/eval-metrics.ts";
import type { EvalRecord } from "../../src/eval/eval-record.ts";
import { holdsFacts } from "../../src/eval/store-metrics.ts";
import { GATE_FEATURES, type GateFeatures } from "../../src/escalation/gate.ts";

/** A record whose top passages come from the given documents, in order. */
function record(fields: Partial<EvalRecord> & { ranked?: string[] }): EvalRecord {
  const { ranked = [], ...rest } = fields;
  return {
    id: "q",
    question: "?",
    lang: "en",
    detectedLanguage: "en",
    productId: null,
    answerable: true,
    relevant: [],
    partial: [],
    retrieved: ranked.map((documentId, index) => ({ documentId, key: `${documentId}#0`, score: 1 / (index + 1), lexicalRank: null, denseRank: null, onPage: false })),
    bestLexicalScore: null,
    bestDenseSimilarity: null,
    cited: [],
    verdict: null,
    evidence: { coverage: 1, similarity: 1, agreement: 1 },
    features: Object.fromEntries(GATE_FEATURES.map((name) => [name, 0])) as GateFeatures,
    probability: 0.9,
    source: "site",
    facts: null,
    holdsFacts: null,
    intent: null,
    answerText: "",
    partAnswer: null,
    retrievalMs: 1,
    ...rest,
  };
}

describe("eval metrics", () => {
  it("ranks the first passage of a relevant document", () => {
    expect(findFirstMatchRank(record({ relevant: ["b"], ranked: ["a", "b", "b"] }))).toBe(2);
    expect(findFirstMatchRank(record({ relevant: ["z"], ranked: ["a", "b"] }))).toBeNull();
    // Beyond the depth does not count.
    expect(findFirstMatchRank(record({ relevant: ["k"], ranked: [..."abcdefghijk"] }), 10)).toBeNull();
  });

  it("computes recall@k and MRR@10 by hand", () => {
    const records = [
      record({ relevant: ["a"], ranked: ["a", "x"] }), // rank 1
      record({ relevant: ["b", "c"], ranked: ["x", "y", "c", "b"] }), // rank 3
      record({ relevant: ["d"], ranked: ["x", "x", "x", "x", "x", "x", "d"] }), // rank 7
      record({ relevant: ["e"], ranked: ["x"] }), // missed
    ];
    const metrics = computeRetrievalMetrics(records);
    expect(metrics.questions).toBe(4);
    expect(metrics.recallAt1).toBeCloseTo(1 / 4);
    expect(metrics.recallAt5).toBeCloseTo(2 / 4);
    expect(metrics.recallAt10).toBeCloseTo(3 / 4);
    expect(metrics.mrrAt10).toBeCloseTo((1 + 1 / 3 + 1 / 7 + 0) / 4);
  });

  it("scores answerable=null questions against partial ids, and leaves out unanswerable ones", () => {
    const records = [
      // Only partial evidence: the partial document is the target, the (empty) relevant list is not.
      record({ answerable: null, relevant: [], partial: ["p"], ranked: ["x", "p"] }),
      // Answerable: partial ids do not count as matches.
      record({ answerable: true, relevant: ["r"], partial: ["p"], ranked: ["p", "x"] }),
      // Unanswerable: excluded even if something it lists is retrieved.
      record({ answerable: false, relevant: ["u"], ranked: ["u"] }),
    ];
    const metrics = computeRetrievalMetrics(records);
    expect(metrics.questions).toBe(2);
    expect(metrics.recallAt1).toBe(0);
    expect(metrics.recallAt5).toBeCloseTo(1 / 2);
    expect(metrics.mrrAt10).toBeCloseTo(1 / 2 / 2);
  });

  it("counts hand-offs of unanswerable questions, answers to answerable ones, and relevant citations of the answered", () => {
    const weak = 0.1;
    const records = [
      record({ answerable: true, relevant: ["a"], cited: ["x", "a"] }),
      record({ answerable: true, relevant: ["b"], partial: ["p"], cited: ["p"] }),
      record({ answerable: true, relevant: ["c"], cited: ["c"], probability: weak }),
      record({ answerable: null, partial: ["p"], cited: ["p"] }),
      record({ answerable: false, cited: ["x"], probability: weak }),
      record({ answerable: false, cited: ["x"] }),
      record({ answerable: false, cited: ["x"], intent: "shopper-request" }),
    ];
    expect(computeHandoffMetrics(records, 0.5)).toEqual({
      threshold: 0.5, answerableQuestions: 3, unanswerableQuestions: 3, handoffRecall: 2 / 3, answerRate: 2 / 3, citedRelevant: 1 / 2,
    });
    const curve = computeHandoffCurve(records);
    expect(curve.map((point) => point.threshold)).toEqual(Array.from({ length: 19 }, (_, index) => (index + 1) * 5 / 100));
    expect(curve.every((point, index) => index === 0 || point.handoffRecall! >= curve[index - 1]!.handoffRecall!)).toBe(true);
  });

  it("takes nearest-rank percentiles of retrieval time", () => {
    const times = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(times, 50)).toBe(50);
    expect(percentile(times, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
    expect(computeLatencyMetrics([record({ retrievalMs: 3 }), record({ retrievalMs: 1 }), record({ retrievalMs: 2 })])).toEqual({ retrievalP50Ms: 2, retrievalP99Ms: 3 });
  });

  it("reports null, not zero, for an empty category", () => {
    const metrics = computeEvalMetrics([record({ answerable: false })], 0.5);
    expect(metrics).toMatchObject({ totalQuestions: 1, questions: 0, recallAt1: null, mrrAt10: null, answerableQuestions: 0, citedRelevant: null });
  });
});

describe("facts a product-page answer must hold", () => {
  it("compares after width, case, spacing and thousands separators, and reads written dates as the catalog's", () => {
    expect(holdsFacts("It costs ¥1,299.", [["1299"]])).toBe(true);
    expect(holdsFacts("上市日期：2026 年 9 月 12 日。", [["2026-09-12"]])).toBe(true);
    expect(holdsFacts("Launch date: 12 November 2026.", [["2026-11-12"], ["November 2026"]])).toBe(true);
    expect(holdsFacts("Launch date: 12 November 2026.", [["2026-11-21"]])).toBe(false);
    expect(holdsFacts("It has 12 Sachets 2026.", [["2026-12"]])).toBe(false);
  });
});
