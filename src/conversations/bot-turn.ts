import { randomUUID } from "node:crypto";
import type { Answerer, Delivery } from "../answering/answerer.ts";
import { composeAnswer, notFoundText, unsureRestText } from "../answering/compose-answer.ts";
import type { Verdict } from "../answering/prompts.ts";
import { AppError, isAppError } from "../errors.ts";
import type { AnswerDecision, HandoffReason } from "../escalation/escalation-policy.ts";
import type { Citation, ConfidenceReport, ConversationEvent, EventBody } from "../protocol/conversation-events.ts";
import type { ShoppingReply } from "../shopping/compose-reply.ts";
import type { RetrievedPassage } from "../retrieval/passage-index.ts";
import type { ConversationRecord, Handoff } from "./conversation-store.ts";
import type { EventHub } from "./event-hub.ts";
import type { LiveAnswers } from "./live-answers.ts";
import type { TurnWorker } from "./turn-work.ts";
import type { TurnPrefetch } from "./turn-prefetch.ts";
import { buildTurnRequest, readHistory, type TurnRequestSources } from "./turn-request.ts";
import { TurnPhases } from "./turn-phases.ts";
import { BotAnswer, type AnswerEnd } from "./bot-answer.ts";

/** What one bot turn needs; append and handOff are the conversation service's own. */
export type BotTurnContext = TurnRequestSources & {
  hub: EventHub;
  /** The shopping check, retrieval and the assessment of its evidence (answer plan, gate): in a search worker, off the event loop. */
  turns: TurnWorker;
  /** That work, when it was started while the question was being stored. */
  prefetch: TurnPrefetch;
  answerer: Answerer;
  live: LiveAnswers;
  append: (conversationId: string, body: EventBody, options?: { expectBot?: boolean }) => Promise<ConversationEvent>;
  handOff: (conversationId: string, handoff: Handoff, language: "zh" | "en") => Promise<boolean>;
};

/**
 * One bot answer: retrieve, score the evidence, and answer only when confident. Nothing is shown
 * before the answerer's verdict: the answer-start may be written ahead (while the model thinks),
 * but the first text waits for the verdict, and a verdict that hands off ends that answer with no
 * text. A model's text streams as live deltas; the answer's end (durable) carries the whole of it.
 * An answer known whole at once (the offline answerer's) streams nothing: its start and end are
 * written together.
 */
export async function runBotTurn(
  ctx: BotTurnContext,
  /** Earlier: the events before the question, as far back as a turn's history reads (HISTORY_EVENTS). */
  turn: { conversation: ConversationRecord; question: ConversationEvent & { type: "message" }; earlier: readonly ConversationEvent[] },
  language: "zh" | "en",
  controller: AbortController,
  phases: TurnPhases = new TurnPhases(undefined),
): Promise<void> {
  const { conversation, question, earlier } = turn;
  const conversationId = conversation.id;
  const { hub, answerer } = ctx;
  let answer: BotAnswer | null = null;
  try {
    const read = readHistory(earlier, question.text, ctx.threshold);
    const { history, previousWeak } = read;
    if (read.repeated) {
      await ctx.handOff(conversationId, { reason: "repeated-failure", question: question.text, confidence: null, passages: [], draft: null }, language);
      return;
    }
    phases.mark("prepare");
    const request = await buildTurnRequest(ctx, conversation, question.text, language, read);
    phases.mark("shopping");
    // Usually started while the question was being stored (see TurnPrefetch), when it asked the same.
    const asked = async () => (await ctx.prefetch.take(conversationId, question.clientId, read.lastSeq, request)) ?? (await ctx.turns.turn(request));
    const outcome = await asked().catch((error: unknown) => {
      // The search workers died under it and again on its retry: the shopper is told and a person takes over.
      if (isAppError(error, "SEARCH_UNAVAILABLE")) return null;
      throw error;
    });
    if (!outcome) {
      await ctx.handOff(conversationId, { reason: "search-unavailable", question: question.text, confidence: null, passages: [], draft: null }, language);
      return;
    }
    phases.mark("retrieval");
    if (outcome.kind === "shopping") return await shoppingAnswer(ctx, conversationId, question, outcome.reply);
    const { assessment } = outcome;
    const { retrieval } = assessment;
    let confidence: ConfidenceReport | null = null;
    let decision: AnswerDecision = { action: "answer" };
    // The answer-start is written while the model thinks, whenever some verdict would show the
    // answer, so that it is usually durable by the time the first text can be shown (which waits
    // for it). A verdict that hands off ends it at once, as stopped with no text: nothing was shown.
    answer = new BotAnswer(ctx, conversationId, question.seq);
    const mayShow = answerer.verdicts.some((verdict) => assessment.decide(verdict, previousWeak).decision.action === "answer");
    if (mayShow && answerer.streams) answer.openAhead();
    const ended = (status: AnswerEnd["status"], text = "", citations: Citation[] = []): AnswerEnd => ({ status, text, citations, confidence, knowledgeVersion: retrieval.knowledgeVersion });
    const decide = (verdict: Verdict | null): Delivery => {
      ({ confidence, decision } = assessment.decide(verdict, previousWeak));
      if (decision.action === "answer") return "stream";
      answer!.end(ended("stopped")).catch(() => undefined);
      return "silent";
    };
    let draft;
    try {
      draft = await answerer.answer({
        question: question.text,
        language,
        retrieval,
        history,
        pageProduct: conversation.productId,
        plan: assessment.plan,
        signal: controller.signal,
        onVerdict: decide,
        onModelRequest: () => phases.mark("to-model"),
        onModelFirstChunk: () => phases.mark("model-first-chunk"),
        onDelta: async (text) => {
          phases.mark("first-shown");
          const id = await answer!.open();
          // Deltas are live only: stopping is the abort (a hand-off or take-over aborts the answer).
          if (controller.signal.aborted) throw new AppError("CONFLICT", "The bot no longer owns this conversation.");
          const offset = ctx.live.append(conversationId, id, text);
          hub.emit("delta", { conversationId, answerId: id, offset, text });
        },
        onRestart: async () => {
          // What was shown is void: that answer fails, and the next text starts another.
          await answer!.end(ended("failed"));
          answer = new BotAnswer(ctx, conversationId, question.seq);
        },
      });
    } catch (error) {
      if (isAppError(error, "LLM_UNAVAILABLE")) {
        await answer.end(ended("failed"));
        await ctx.handOff(conversationId, { reason: "llm-unavailable", question: question.text, confidence, passages: retrieval.passages.map((passage) => toCitation(passage, null)), draft: null }, language);
        return;
      }
      throw error;
    }
    const citations = draft.cited.map(({ passage, marker }) => toCitation(passage, marker));
    const finalDecision = decision as AnswerDecision;
    if (draft.delivery === "stream" && !controller.signal.aborted) {
      if (draft.text && !answer.opened) {
        // Known whole (nothing streamed): start and end together, usually one commit; shown once durable.
        await answer.whole(ended("complete", draft.text, citations));
        phases.mark("first-shown");
      } else {
        if (draft.text) await answer.open();
        // Started ahead, but the model said nothing to show: it leaves no bubble.
        await answer.end(draft.text ? ended("complete", draft.text, citations) : ended("failed"));
      }
    } else {
      // Silent (handed off: ended at the verdict, with no text) or stopped mid-stream (keeps what streamed).
      await answer.end(ended("stopped", draft.delivery === "stream" ? draft.text : "", citations));
    }
    if (finalDecision.action === "handoff") {
      // Say plainly that the bot does not know, before the hand-off notice offers a person. A
      // message asking several things gets the answers the bot is sure of first, then the rest is named.
      const { partial } = assessment;
      let said = draft.text;
      if (finalDecision.reason === "low-confidence" && partial) {
        const known = composeAnswer(partial.plan, language);
        const citations = known.cited.map((passage) => toCitation(passage, null));
        await new BotAnswer(ctx, conversationId, question.seq).whole({ ...ended("complete", known.text, citations), confidence: partial.confidence });
        said ||= known.text;
      }
      if (finalDecision.reason === "low-confidence") {
        const text = partial ? unsureRestText(partial.unanswered, language) : notFoundText(assessment.plan, language);
        await ctx.append(conversationId, { type: "message", author: "bot", text, clientId: null, authorName: null }, { expectBot: true });
      }
      await ctx.handOff(conversationId, {
        reason: finalDecision.reason satisfies HandoffReason,
        question: question.text,
        confidence,
        passages: retrieval.passages.map((passage) => toCitation(passage, null)),
        draft: said || null,
      }, language);
    }
  } catch (error) {
    // Close an answer left open, so clients stop showing it as streaming: stopped when a person took
    // the conversation mid-answer, failed on any other error.
    const stopped = isAppError(error, "CONFLICT") || controller.signal.aborted;
    await answer?.end({ status: stopped ? "stopped" : "failed", text: "", citations: [], confidence: null, knowledgeVersion: 0 }).catch(() => undefined);
    if (!stopped) throw error;
  }
}

/** A shopping answer with product cards, whole at once: its start and end are the two durable events. */
async function shoppingAnswer(ctx: BotTurnContext, conversationId: string, question: ConversationEvent & { type: "message" }, reply: ShoppingReply): Promise<void> {
  const answerId = randomUUID();
  await ctx.append(conversationId, { type: "answer-start", answerId, replyTo: question.seq }, { expectBot: true });
  // Counted before the shopper can see the cards, so a click at once finds them (the store may be a network away).
  await ctx.shopping?.shown(answerId, reply.products.filter((card) => card.fit === "match").map((card) => card.sku));
  await ctx.append(conversationId, {
    type: "answer-end", answerId, status: "complete", text: reply.text, citations: [], confidence: null, knowledgeVersion: 0,
    products: reply.products, comparison: reply.comparison,
  });
}

export function toCitation(passage: RetrievedPassage, marker: number | null): Citation {
  return { passageId: passage.key, documentId: passage.documentId, title: passage.title, url: passage.url, productId: passage.productId, kind: passage.kind, marker };
}
