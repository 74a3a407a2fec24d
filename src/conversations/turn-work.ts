import { VERDICTS, type Verdict } from "../answering/prompts.ts";
import type { CatalogProduct } from "../catalog/product.ts";
import { AppError } from "../errors.ts";
import { assess, type Assessment } from "../escalation/assess.ts";
import type { Retrieval, RetrievalRequest } from "../retrieval/passage-index.ts";
import type { ShoppingReply } from "../shopping/compose-reply.ts";
import { applyCatalogChange, type CatalogChange } from "../shopping/catalog-change.ts";
import { answerShopping, indexCatalog, type CatalogSnapshot, type IndexedCatalog, type ShoppingQuestion } from "../shopping/shopping-assistant.ts";
import { packProducts, unpackProducts, type PackedProducts } from "./packed-products.ts";

/**
 * The CPU work of a bot turn, done in a search worker so that the event loop only relays: the
 * shopping assistant's check, then (when it is not a shopping question) retrieval and the
 * assessment of its evidence (answer plan, gate, hand-off policy). One round trip per turn.
 */

/** What a bot turn asks before it answers: retrieve for the question, then assess the evidence. */
export type AssessRequest = {
  retrieval: RetrievalRequest;
  question: string;
  /** The conversation's page product as the catalog has it; used when retrieval keeps to that page. */
  product: CatalogProduct | null;
  threshold: number;
};

/** A turn's work: the shopping check first (none without products), then retrieval and assessment. */
export type TurnRequest = { shopping: { question: ShoppingQuestion; catalog: CatalogSnapshot } | null; assess: AssessRequest };

export type TurnOutcome = { kind: "shopping"; reply: ShoppingReply } | { kind: "assessed"; assessment: Assessment };

/** Runs a turn's work (TurnRequest) wherever it runs best: the search worker pool. */
export interface TurnWorker {
  turn(request: TurnRequest): Promise<TurnOutcome>;
}

type Outcome = ReturnType<Assessment["decide"]>;

/**
 * An assessment as plain data, so that it can cross a thread boundary: `decide` is a function of
 * the model's verdict and of whether the previous answer was weak, so every outcome is computed
 * where the assessment was made and looked up where it is used.
 */
export type AssessedTurn = Omit<Assessment, "decide"> & { outcomes: Outcome[] };

/**
 * The task as it crosses to a worker: the products only when that worker asked for their
 * generation, and then only the change from the generation it has when the snapshot holds it.
 */
export type TurnTask = { shopping: { question: ShoppingQuestion; generation: number; products?: PackedProducts; change?: CatalogChange } | null; assess: AssessRequest };

/** need-catalog: the worker lacks the turn's generation; `has` is the one it holds (null for none). */
export type TurnTaskResult = { kind: "shopping"; reply: ShoppingReply } | { kind: "assessed"; turn: AssessedTurn } | { kind: "need-catalog"; has: number | null };

const VERDICT_CHOICES: readonly (Verdict | null)[] = [null, ...VERDICTS];

/** The assessment of one retrieval, as the live conversation makes it. */
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

/**
 * A worker's side of turns: it keeps the shopping catalog of the last generation it was sent
 * (indexed once), and asks for the products (need-catalog) when a turn names a generation it lacks.
 */
export class TurnRunner {
  readonly #retrieve: (request: RetrievalRequest) => Promise<Retrieval>;
  #shop: { generation: number; catalog: IndexedCatalog } | null = null;

  constructor(retrieve: (request: RetrievalRequest) => Promise<Retrieval>) {
    this.#retrieve = retrieve;
  }

  async run(task: TurnTask): Promise<TurnTaskResult> {
    if (task.shopping) {
      const { question, generation, products, change } = task.shopping;
      if (this.#shop?.generation !== generation) {
        const held = this.#shop;
        const next = products ? unpackProducts(products) : (change && held?.generation === change.from ? applyCatalogChange(held.catalog.products, change) : null);
        if (!next) return { kind: "need-catalog", has: held?.generation ?? null };
        this.#shop = { generation, catalog: indexCatalog(next, held?.catalog ?? null) };
      }
      const reply = answerShopping(this.#shop.catalog, question);
      if (reply) return { kind: "shopping", reply };
    }
    return { kind: "assessed", turn: toAssessedTurn(assessRetrieval(await this.#retrieve(task.assess.retrieval), task.assess)) };
  }

  /**
   * One turn's work in each language, its result dropped, before the first shopper's: the first use
   * of the Chinese word dictionary, the lexicons' patterns and the search statements costs a
   * cold thread tens of milliseconds, which the first answers after a start would otherwise wait for.
   * A warm-up only saves time: one that fails is reported to `failed` and the thread serves anyway
   * (a real turn then meets the same failure and reports it to its shopper).
   */
  async warmUp(failed: (error: unknown) => void): Promise<void> {
    for (const [language, question] of WARM_UP_QUESTIONS) {
      await this.run({ shopping: null, assess: { retrieval: { query: question, productId: null, topK: 5, language }, question, product: null, threshold: 0.5 } }).catch(failed);
    }
  }
}

const WARM_UP_QUESTIONS = [
  ["en", "How long is the warranty? And how much is shipping to Hong Kong?"],
  ["zh", "这个多少钱？可以用洗碗机洗吗？"],
] as const;

/** Catalog deliveries in flight, by generation: one at a time, so turns queued together send the products once. */
export type CatalogDeliveries = Map<number, Promise<unknown>>;

/** How many times a turn asks again when workers lack its catalog (each thread takes one delivery). */
const MAX_CATALOG_ASKS = 8;

/**
 * Send a turn to a worker: the products go along only if the worker that took it asks for them,
 * and only one turn at a time carries them, as JSON text written in slices (packed-products.ts:
 * cloned as objects, a 14k-product catalog held the event loop for 100-300 ms and more; and every
 * turn queued behind a new generation would otherwise carry it again); the others wait for that
 * delivery, then ask again. A worker that holds the generation before gets only the change from it
 * (a 1% update copies 1% of the products).
 */
export async function sendTurn(request: TurnRequest, run: (task: TurnTask) => Promise<TurnTaskResult>, deliveries: CatalogDeliveries): Promise<TurnOutcome> {
  const task = (carrying: "nothing" | "change" | PackedProducts): TurnTask => ({
    assess: request.assess,
    shopping: request.shopping && {
      question: request.shopping.question,
      generation: request.shopping.catalog.generation,
      ...(typeof carrying === "object" ? { products: carrying } : {}),
      ...(carrying === "change" && request.shopping.catalog.change ? { change: request.shopping.catalog.change } : {}),
    },
  });
  let result = await run(task("nothing"));
  for (let asks = 0; result.kind === "need-catalog" && asks < MAX_CATALOG_ASKS; asks += 1) {
    const generation = request.shopping!.catalog.generation;
    const pending = deliveries.get(generation);
    if (pending) {
      await pending.catch(() => undefined);
      result = await run(task("nothing"));
      continue;
    }
    const delivery = result.has !== null && request.shopping!.catalog.change?.from === result.has
      ? run(task("change"))
      : packProducts(request.shopping!.catalog.products).then((products) => run(task(products)));
    deliveries.set(generation, delivery);
    try {
      result = await delivery;
    } finally {
      deliveries.delete(generation);
    }
  }
  if (result.kind === "need-catalog") throw new AppError("INTERNAL", "The search workers kept asking for the catalog they were sent.");
  return result.kind === "shopping" ? result : { kind: "assessed", assessment: fromAssessedTurn(result.turn) };
}
