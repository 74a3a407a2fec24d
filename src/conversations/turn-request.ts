import type { Turn } from "../answering/answerer.ts";
import type { ProductCatalog } from "../catalog/product-catalog.ts";
import { isRepeatedQuestion, isWeak } from "../escalation/escalation-policy.ts";
import type { ConversationEvent } from "../protocol/conversation-events.ts";
import type { CatalogSnapshot, ShoppingQuestion, ShoppingRequest } from "../shopping/shopping-assistant.ts";
import { contentWords } from "../text/segment.ts";
import type { TurnRequest } from "./turn-work.ts";

/** Turns of history given to the answerer. */
const HISTORY_TURNS = 6;

/** Durable events read before a question, for its history (the question's seq minus this, on). */
export const HISTORY_EVENTS = 60;

/** The shopping assistant as a bot turn uses it (src/shopping): its check runs in the search worker with the turn. */
export type ShoppingAnswers = {
  question(request: ShoppingRequest): ShoppingQuestion;
  catalog(): Promise<CatalogSnapshot>;
  shown(answerId: string, skus: readonly string[]): Promise<void>;
};

/** What building a turn's request reads besides the conversation. */
export type TurnRequestSources = {
  /** The page product's typed facts, answered first. */
  catalog: ProductCatalog;
  /** Discovery, comparison and related products from the catalog, asked before retrieval. */
  shopping?: ShoppingAnswers;
  topK: number;
  threshold: number;
};

/** What a question's turn takes from the conversation before it. */
export type TurnHistory = {
  /** Earlier turns given to the answerer, oldest first. */
  history: Turn[];
  /** The bot's last complete answer, if any. */
  lastAnswer: (ConversationEvent & { type: "answer-end" }) | undefined;
  previousWeak: boolean;
  /** The same question again after an answer: a person should take it. */
  repeated: boolean;
  /** The seq of the last event before the question (0 when none): turns that read the same one read the same history. */
  lastSeq: number;
};

export function readHistory(before: readonly ConversationEvent[], question: string, threshold: number): TurnHistory {
  const history = toTurns(before).slice(-HISTORY_TURNS);
  const earlierQuestions = history.filter((turn) => turn.author === "shopper").map((turn) => turn.text);
  const lastAnswer = before.findLast((event): event is ConversationEvent & { type: "answer-end" } => event.type === "answer-end" && event.status === "complete");
  const previousWeak = lastAnswer !== undefined && lastAnswer.confidence !== null && isWeak(lastAnswer.confidence.score, threshold);
  const repeated = lastAnswer !== undefined && isRepeatedQuestion(question, earlierQuestions);
  return { history, lastAnswer, previousWeak, repeated, lastSeq: before.at(-1)?.seq ?? 0 };
}

/** The search worker's part of a turn: the shopping check, else retrieval and the assessment of the evidence. */
export async function buildTurnRequest(
  sources: TurnRequestSources,
  conversation: { productId: string | null },
  question: string,
  language: "zh" | "en",
  read: TurnHistory,
): Promise<TurnRequest> {
  // The page's product and the shopping catalog are read at once; both go with the question to a search worker.
  const pageProduct = conversation.productId ? sources.catalog.getProduct(conversation.productId, language) : Promise.resolve(null);
  pageProduct.catch(() => undefined);
  const shopping = await shoppingQuestion(sources, conversation.productId, question, language, read.lastAnswer);
  const earlierQuestion = read.history.findLast((turn) => turn.author === "shopper")?.text;
  return {
    shopping,
    assess: {
      retrieval: { query: followUpQuery(question, earlierQuestion), productId: conversation.productId, topK: sources.topK, language },
      question,
      product: await pageProduct,
      threshold: sources.threshold,
    },
  };
}

/** Two requests with the same key ask the search worker the same (the catalog by its generation). */
export function turnRequestKey(request: TurnRequest): string {
  const shopping = request.shopping && { question: request.shopping.question, generation: request.shopping.catalog.generation };
  return JSON.stringify({ assess: request.assess, shopping });
}

/** The shopping check a search worker makes before retrieval (discover, compare, related); none without products. */
async function shoppingQuestion(sources: TurnRequestSources, pageSku: string | null, question: string, language: "zh" | "en", lastAnswer: TurnHistory["lastAnswer"]) {
  if (!sources.shopping) return null;
  const catalog = await sources.shopping.catalog();
  if (catalog.products.length === 0) return null;
  const previousSkus = (lastAnswer?.products ?? []).map((card) => card.sku);
  return { catalog, question: sources.shopping.question({ question, language, pageSku, previousSkus }) };
}

function toTurns(events: readonly ConversationEvent[]): Turn[] {
  const turns: Turn[] = [];
  for (const event of events) {
    if (event.type === "message" && event.author !== "system") turns.push({ author: event.author, text: event.text });
    if (event.type === "answer-end" && event.status === "complete" && event.text) turns.push({ author: "bot", text: event.text });
  }
  return turns;
}

/**
 * A short follow-up ("and in black?", "多少钱") is searched together with the question before it,
 * instead of paying a second model round trip to rewrite it.
 */
function followUpQuery(question: string, previous: string | undefined): string {
  return previous && contentWords(question).length <= 2 ? `${previous} ${question}` : question;
}
