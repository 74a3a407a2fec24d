import type { ProductCatalog } from "../catalog/product-catalog.ts";
import { assessQuestion, type Assessment } from "../escalation/assess.ts";
import type { Retriever } from "../retrieval/retriever.ts";

/** One knowledge version as a question sees it: its retrieval and its catalog. */
export type KnowledgeView = { retriever: Retriever; catalog: ProductCatalog };

export type GoldenQuestion = { question: string; productId: string | null; origin: "admin" | "answered" };

export type QuestionOutcome = { answered: boolean; reason: string | null; confidence: number; documents: string[] };

export type RegressionReport = {
  questions: number;
  /** Questions whose top documents or decision differ between the serving and the candidate version. */
  changed: { question: string; productId: string | null; origin: GoldenQuestion["origin"]; before: QuestionOutcome; after: QuestionOutcome }[];
  /** Of those, questions answered now that the candidate would hand off. */
  newlyHandedOff: number;
  /** Documents cited now that the candidate no longer has at all. */
  lostDocuments: string[];
};

/**
 * Replay golden questions against the serving version and a candidate, and report what would
 * change: retrieval (the top documents), the decision to answer, and answers lost to hand-off.
 */
export async function runRegressionCheck(input: {
  current: KnowledgeView;
  candidate: KnowledgeView;
  questions: readonly GoldenQuestion[];
  topK: number;
  threshold: number;
  candidateHasDocument: (documentId: string) => boolean;
}): Promise<RegressionReport> {
  const changed: RegressionReport["changed"] = [];
  const lost = new Set<string>();
  for (const golden of input.questions) {
    const ask = (view: KnowledgeView) => assessQuestion({ ...view, question: golden.question, productId: golden.productId, topK: input.topK, threshold: input.threshold });
    const before = toOutcome(await ask(input.current));
    const after = toOutcome(await ask(input.candidate));
    for (const documentId of before.documents) if (!input.candidateHasDocument(documentId)) lost.add(documentId);
    if (before.answered !== after.answered || before.documents.slice(0, 3).join() !== after.documents.slice(0, 3).join()) {
      changed.push({ question: golden.question, productId: golden.productId, origin: golden.origin, before, after });
    }
  }
  return {
    questions: input.questions.length,
    changed,
    newlyHandedOff: changed.filter((change) => change.before.answered && !change.after.answered).length,
    lostDocuments: [...lost],
  };
}

function toOutcome(assessment: Assessment): QuestionOutcome {
  const documents = [...new Set(assessment.retrieval.passages.map((passage) => passage.documentId))];
  return {
    answered: assessment.decision.action === "answer",
    reason: assessment.decision.action === "handoff" ? assessment.decision.reason : null,
    confidence: assessment.confidence.score,
    documents,
  };
}
