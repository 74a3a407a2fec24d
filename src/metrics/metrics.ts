import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { LlmCallEnd, LlmCallGate } from "../answering/answerer.ts";
import type { EventHub } from "../conversations/event-hub.ts";
import type { AckRecorder } from "../limits/chat-gate.ts";
import type { LimitName, LimitRecorder } from "../limits/shopper-limits.ts";
import type { ConversationEvent } from "../protocol/conversation-events.ts";
import type { TurnPhase, TurnPhaseRecorder } from "../conversations/turn-phases.ts";

/** Figures read when Prometheus scrapes, from the parts that own them. */
export type MetricSources = {
  socketsByNamespace(): Record<string, number>;
  queueLength(): Promise<number>;
  knowledgeVersion(): Promise<number>;
  botAnswers(): { active: number; waiting: number };
};

/** Latency buckets in seconds, from a fast acknowledgement to a slow model answer. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Finer at the low end: the parts of a first token are a few ms each when all is well. */
const PHASE_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];
const WAIT_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];
/** Questions whose answer is still awaited are remembered up to this many (oldest dropped first). */
const PENDING_LIMIT = 10_000;

/**
 * Kefu's Prometheus metrics, on a registry of its own. Conversation figures come from the event
 * hub (no hooks in the domain); limits, acknowledgements, retrieval and LLM calls report through
 * the narrow recorder interfaces the other modules declare.
 */
/** A shopper's question until its answer ends: when it was asked, the answer started for it, whether its text showed yet. */
type PendingQuestion = { seq: number; at: number; answerId: string | null; shown: boolean };

export class KefuMetrics implements LimitRecorder, AckRecorder, TurnPhaseRecorder {
  readonly registry = new Registry();
  readonly #turnPhases: Histogram<"phase">;
  readonly #limitsHit: Counter<"limit">;
  readonly #acks: Histogram<"event" | "outcome">;
  readonly #retrieval: Histogram;
  readonly #llmCalls: Counter<"outcome">;
  readonly #llmRetries: Counter;
  readonly #llmTokens: Counter;
  readonly #llmSeconds: Histogram;
  /** Product cards shown in answers and opened by shoppers, per product (the shopping assistant's recorder). */
  readonly recommendations: { shown(sku: string): void; clicked(sku: string): void };
  /** Shopper message time per conversation, until its answer ends: for first-token and answer latency. */
  readonly #questions = new Map<string, PendingQuestion>();
  /** When each queued conversation entered the queue. */
  readonly #queued = new Map<string, number>();

  constructor(deps: { hub: EventHub; sources: MetricSources }) {
    const registers = [this.registry];
    const { sources } = deps;
    collectDefaultMetrics({ register: this.registry });
    new Gauge({ name: "kefu_sockets_connected", help: "Open socket.io connections per namespace", labelNames: ["namespace"], registers, collect() {
      for (const [namespace, count] of Object.entries(sources.socketsByNamespace())) this.set({ namespace }, count);
    } });
    new Gauge({ name: "kefu_queue_length", help: "Conversations waiting for a person", registers, async collect() {
      this.set(await sources.queueLength());
    } });
    new Gauge({ name: "kefu_knowledge_version", help: "Knowledge version being answered from", registers, async collect() {
      this.set(await sources.knowledgeVersion());
    } });
    new Gauge({ name: "kefu_bot_answers", help: "Bot answers being worked on (active) and waiting for a slot (waiting)", labelNames: ["state"], registers, collect() {
      const { active, waiting } = sources.botAnswers();
      this.set({ state: "active" }, active);
      this.set({ state: "waiting" }, waiting);
    } });
    const messages = new Counter({ name: "kefu_messages_total", help: "Conversation messages stored, by author", labelNames: ["author"], registers });
    const answers = new Counter({ name: "kefu_answers_total", help: "Bot answers ended, by status", labelNames: ["status"], registers });
    const handoffs = new Counter({ name: "kefu_handoffs_total", help: "Conversations handed to a person, by reason", labelNames: ["reason"], registers });
    const queueWait = new Histogram({ name: "kefu_queue_wait_seconds", help: "Time from hand-off to a person taking the conversation", buckets: WAIT_BUCKETS, registers });
    const firstToken = new Histogram({ name: "kefu_answer_first_token_seconds", help: "Time from a shopper's message to the first shown text of its answer", buckets: LATENCY_BUCKETS, registers });
    const answerTime = new Histogram({ name: "kefu_answer_seconds", help: "Time from a shopper's message to the end of its answer", buckets: LATENCY_BUCKETS, registers });
    this.#acks = new Histogram({ name: "kefu_ack_seconds", help: "Time from a shopper event's arrival to its acknowledgement, by event and outcome (ok or error code)", labelNames: ["event", "outcome"], buckets: LATENCY_BUCKETS, registers });
    this.#retrieval = new Histogram({ name: "kefu_retrieval_seconds", help: "Time to retrieve passages for a bot turn's question and assess them (one search-worker round trip)", buckets: LATENCY_BUCKETS, registers });
    this.#llmCalls = new Counter({ name: "kefu_llm_calls_total", help: "Requests to the LLM, by outcome (ok or error)", labelNames: ["outcome"], registers });
    this.#llmRetries = new Counter({ name: "kefu_llm_retries_total", help: "LLM requests that failed and were tried again", registers });
    this.#llmTokens = new Counter({ name: "kefu_llm_tokens_total", help: "LLM tokens used (as reported by the server, else estimated from the text)", registers });
    this.#turnPhases = new Histogram({ name: "kefu_bot_turn_phase_seconds", help: "Parts of a bot turn before its first shown text: queue, prepare, shopping, retrieval, to-model, model-first-chunk, first-shown", labelNames: ["phase"], buckets: PHASE_BUCKETS, registers });
    this.#llmSeconds = new Histogram({ name: "kefu_llm_call_seconds", help: "Duration of one LLM request", buckets: LATENCY_BUCKETS, registers });
    const recommended = new Counter({ name: "kefu_recommendations_total", help: "Product cards shown in answers and clicked by shoppers, per product", labelNames: ["event", "sku"], registers });
    this.recommendations = { shown: (sku) => recommended.inc({ event: "shown", sku }), clicked: (sku) => recommended.inc({ event: "clicked", sku }) };
    this.#limitsHit = new Counter({ name: "kefu_limits_hit_total", help: "Requests refused by a limit, by limit", labelNames: ["limit"], registers });

    const shown = (question: PendingQuestion, answerId: string, now: number): void => {
      if (question.shown || question.answerId !== answerId) return;
      question.shown = true;
      firstToken.observe((now - question.at) / 1000);
    };
    deps.hub.on("delta", (delta) => {
      const question = this.#questions.get(delta.conversationId);
      if (question && !question.shown) shown(question, delta.answerId, Date.now());
    });
    deps.hub.on("event", (event: ConversationEvent) => {
      const now = Date.now();
      switch (event.type) {
        case "message":
          messages.inc({ author: event.author });
          if (event.author === "shopper") this.#rememberQuestion(event.conversationId, event.seq, now);
          break;
        case "answer-start": {
          // The start may be written while the model thinks: its first text is what the shopper waits for.
          const question = this.#questions.get(event.conversationId);
          if (question?.seq === event.replyTo && question.answerId === null) question.answerId = event.answerId;
          break;
        }
        case "answer-end": {
          answers.inc({ status: event.status });
          const question = this.#questions.get(event.conversationId);
          // An answer shown whole at once (product cards) is first shown by its end.
          if (question && event.status === "complete") shown(question, event.answerId, now);
          if (question && event.status === "complete") answerTime.observe((now - question.at) / 1000);
          if (event.status === "complete") this.#questions.delete(event.conversationId);
          break;
        }
        case "state-changed": {
          const since = this.#queued.get(event.conversationId);
          this.#queued.delete(event.conversationId);
          if (event.state === "waiting") {
            handoffs.inc({ reason: event.reason ?? "unknown" });
            this.#queued.set(event.conversationId, now);
            this.#questions.delete(event.conversationId);
          } else if (event.state === "agent" && since !== undefined) queueWait.observe((now - since) / 1000);
          break;
        }
      }
    });
  }

  limitHit(name: LimitName): void {
    this.#limitsHit.inc({ limit: name });
  }

  turnPhase(phase: TurnPhase, seconds: number): void {
    this.#turnPhases.observe({ phase }, seconds);
  }

  ack(event: string, seconds: number, outcome: string): void {
    this.#acks.observe({ event, outcome }, seconds);
  }

  /** Time a retrieval. */
  async timeRetrieval<T>(work: () => Promise<T>): Promise<T> {
    const end = this.#retrieval.startTimer();
    try {
      return await work();
    } finally {
      end();
    }
  }

  /** Wrap an LLM call gate (or none) so every request is also counted and timed. */
  measureLlmCalls(inner?: LlmCallGate): LlmCallGate {
    return {
      begin: async () => {
        const innerEnd = await inner?.begin();
        const timer = this.#llmSeconds.startTimer();
        return (end: LlmCallEnd) => {
          innerEnd?.(end);
          timer();
          this.#llmCalls.inc({ outcome: end.ok ? "ok" : "error" });
          if (end.retrying) this.#llmRetries.inc();
          this.#llmTokens.inc(end.tokens);
        };
      },
    };
  }

  #rememberQuestion(conversationId: string, seq: number, at: number): void {
    this.#questions.delete(conversationId);
    this.#questions.set(conversationId, { seq, at, answerId: null, shown: false });
    if (this.#questions.size > PENDING_LIMIT) this.#questions.delete(this.#questions.keys().next().value!);
  }
}
