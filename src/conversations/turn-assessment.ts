import { VERDICTS, type Verdict } from "../answering/prompts.ts";
import type { CatalogProduct } from "../catalog/product.ts";
import { assess, type Assessment } from "../escalation/assess.ts";
import type { Retrieval, RetrievalRequest } from "../retrieval/passage-index.ts";

/** What a bot turn asks before it answers: retrieve for the question, then assess the evidence. */
export type AssessRequest = {
  retrieval: RetrievalRequest;
  question: string;
  /** The conversation's page product as the catalog has it; used when retrieval keeps to that page. */
  product: CatalogProduct | null;
  threshold: number;
};

type Outcome = ReturnType<Assessment["decide"]>;

/**
 * An assessment as plain data, so that it can cross a thread boundary: `decide` is a function of
 * the model's verdict and of whether the previous answer was weak, so every outcome is computed
 * where the assessment was made and looked up where it is used.
 */
export type AssessedTurn = Omit<Assessment, "decide"> & { outcomes: Outcome[] };

/** Retrieves and assesses a bot turn's question; off the event loop when served by the search workers. */
export interface TurnAssessor {
  assess(request: AssessRequest): Promise<Assessment>;
}

const VERDICT_CHOICES: readonly (Verdict | null)[] = [null, ...VERDICTS];

/** The assessment of one retrieval, as the live conversation makes it (in whichever thread retrieved). */
export function assessRetrieval(retrieval: Retrieval, request: AssessRequest): Assessment {
  // The page's product counts only when retrieval kept to its page (a product the index has).
  const product = retrieval.productId !== null && request.product?.sku === retrieval.productId ? request.product : null;
  return assess({ question: request.question, language: request.retrieval.language ?? retrieval.language, retrieval, product, threshold: request.threshold });
}

/** The assessment with every outcome of decide computed ahead (structured-clonable). */
export function toAssessedTurn(assessment: Assessment): AssessedTurn {
  const { decide, ...data } = assessment;
  const outcomes = [false, true].flatMap((previousWeak) => VERDICT_CHOICES.map((verdict) => decide(verdict, previousWeak)));
  return { ...data, outcomes };
}

/** The assessment back from its data: decide looks its outcome up. */
export function fromAssessedTurn(turn: AssessedTurn): Assessment {
  const { outcomes, ...data } = turn;
  const decide = (verdict: Verdict | null, previousWeak: boolean): Outcome => outcomes[(previousWeak ? VERDICT_CHOICES.length : 0) + VERDICT_CHOICES.indexOf(verdict)]!;
  return { ...data, decide };
}
