import pLimit, { type LimitFunction } from "p-limit";
import type { ShopperLimitSettings } from "../config.ts";
import type { LlmCallEnd, LlmCallGate } from "../answering/answerer.ts";
import type { AnswerBudget } from "../conversations/bot-turns.ts";
import { tryConsume, type LimiterFactory } from "./limiters.ts";
import type { LimitRecorder } from "./shopper-limits.ts";

const ALL = "all";

/**
 * What the bot may spend, over all shoppers: answers started per minute, LLM requests in flight,
 * and LLM tokens per 24 hours (how many answers run at once is the bot queue's business). An
 * answer that does not fit is refused before any work, and the conversation service offers the
 * shopper a person instead. Concurrency is per process; the windows are shared when the limiter
 * factory has a shared store.
 */
export class BotBudget implements AnswerBudget, LlmCallGate {
  readonly #settings: ShopperLimitSettings;
  readonly #calls: LimitFunction;
  readonly #answersPerMinute: ReturnType<LimiterFactory>;
  readonly #tokens: ReturnType<LimiterFactory>;
  readonly #recorder: LimitRecorder | undefined;

  constructor(settings: ShopperLimitSettings, limiter: LimiterFactory, recorder?: LimitRecorder) {
    this.#settings = settings;
    this.#recorder = recorder;
    this.#calls = pLimit(settings.concurrentLlmCalls);
    this.#answersPerMinute = limiter("answers-per-minute", settings.answersPerMinute, 60);
    this.#tokens = limiter("llm-tokens-per-day", Math.max(1, settings.llmTokensPerDay), 86_400);
  }

  async run(work: () => Promise<void>): Promise<boolean> {
    if (this.#settings.llmTokensPerDay > 0) {
      const spent = (await this.#tokens.get(ALL))?.consumedPoints ?? 0;
      if (spent >= this.#settings.llmTokensPerDay) return this.#refuse("llm-tokens-per-day");
    }
    if ((await tryConsume(this.#answersPerMinute, ALL)) > 0) return this.#refuse("answers-per-minute");
    await work();
    return true;
  }

  /** Wait for a free LLM request slot; the returned function frees it and books the tokens used. */
  begin(): Promise<(end: LlmCallEnd) => void> {
    return new Promise((resolveBegin) => {
      void this.#calls(
        () =>
          new Promise<void>((done) => {
            resolveBegin((end) => {
              done();
              if (end.tokens > 0 && this.#settings.llmTokensPerDay > 0) void this.#tokens.penalty(ALL, end.tokens).catch(() => undefined);
            });
          }),
      );
    });
  }

  #refuse(name: "answers-per-minute" | "llm-tokens-per-day"): false {
    this.#recorder?.limitHit(name);
    return false;
  }
}
