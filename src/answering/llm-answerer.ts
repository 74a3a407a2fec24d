import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { AnswerDraft, Answerer, AnswerRequest, Delivery, LlmCallGate } from "./answerer.ts";
import { buildSystemPrompt, buildUserPrompt, parseCitationMarkers, PROMPT_VERSION, readVerdictHeader, VERDICTS, type Verdict } from "./prompts.ts";
import { modelPassages } from "./plan-answer.ts";

export type LlmAnswererOptions = {
  model: BaseChatModel;
  /** Longest wait for the first token, and between two tokens, before the attempt is abandoned. */
  timeoutMs: number;
  maxRetries: number;
  /** Strings that must never reach a shopper (API keys); redacted from the output if a model echoes them. */
  secrets: readonly string[];
  logger: Logger;
  /** Pause before retry n (1-based). */
  backoff?: (retry: number) => number;
  /** Limits and measures every request to the model. */
  calls?: LlmCallGate;
};

/** Pieces of text are sent to the shopper at most this often, so a token stream is not a write per token. */
const FLUSH_MS = 40;

/**
 * Answers with a chat model: the prompt of prompts.ts, streamed through a verdict gate (nothing is
 * shown before the verdict, the reply's first token, is read), coalesced, with secrets held back
 * and redacted.
 * A timeout, 429, 5xx or broken stream is retried within maxRetries; then LLM_UNAVAILABLE.
 */
export class LlmAnswerer implements Answerer {
  readonly kind = "llm";
  /** The reply's first letter, or none when the model left it out. */
  readonly verdicts = [null, ...VERDICTS];
  readonly streams = true;
  readonly #options: LlmAnswererOptions;

  constructor(options: LlmAnswererOptions) {
    this.#options = options;
  }

  async answer(request: AnswerRequest): Promise<AnswerDraft> {
    const { maxRetries, logger } = this.#options;
    const backoff = this.#options.backoff ?? ((retry: number) => Math.min(2_000, 250 * 2 ** (retry - 1)) * (0.5 + Math.random() / 2));
    const messages = [
      new SystemMessage(buildSystemPrompt(request.language)),
      new HumanMessage(buildUserPrompt({ question: request.question, passages: modelPassages(request.plan, request.retrieval), history: request.history, pageProduct: request.pageProduct, product: request.plan.product })),
    ];
    let delivery: Delivery | undefined;
    let shown = false;
    const promptTokens = estimateTokens(messages.map((message) => message.content as string).join("\n"));
    for (let attempt = 0; ; attempt += 1) {
      const usage = { tokens: 0 };
      const end = await this.#options.calls?.begin();
      try {
        const result = await this.#attempt(request, messages, delivery, () => (shown = true), usage);
        end?.({ ok: true, retrying: false, tokens: usage.tokens || promptTokens + estimateTokens(result.text) });
        return result;
      } catch (error) {
        const retryable = !request.signal.aborted && isRetryable(error);
        end?.({ ok: false, retrying: retryable && attempt < maxRetries, tokens: usage.tokens || promptTokens });
        if (request.signal.aborted) throw error;
        logger.warn({ err: error, attempt, retryable, promptVersion: PROMPT_VERSION }, "model attempt failed");
        if (!retryable || attempt >= maxRetries) {
          throw new AppError("LLM_UNAVAILABLE", "The language model is not available right now.", { cause: error, details: { attempts: attempt + 1 } });
        }
        if (error instanceof AttemptError) delivery = error.delivery;
        if (shown) {
          await request.onRestart();
          shown = false;
        }
        await sleep(backoff(attempt + 1), request.signal);
      }
    }
  }

  async #attempt(request: AnswerRequest, messages: (SystemMessage | HumanMessage)[], decided: Delivery | undefined, markShown: () => void, usage: { tokens: number }): Promise<AnswerDraft> {
    const watchdog = new AbortController();
    const signal = AbortSignal.any([request.signal, watchdog.signal]);
    let timer = setTimeout(() => watchdog.abort(new Error("model timed out")), this.#options.timeoutMs);
    const output = new RedactingBuffer(this.#options.secrets);
    let header: string | null = "";
    let verdict: Verdict | null = null;
    let delivery = decided;
    let lastFlush = 0;
    let finished = false;
    const flush = async (final: boolean) => {
      const text = output.take(final);
      if (text && delivery === "stream") {
        markShown();
        await request.onDelta(text);
      }
      lastFlush = Date.now();
    };
    let first = true;
    try {
      request.onModelRequest?.();
      const stream = await this.#options.model.stream(messages, { signal });
      for await (const chunk of stream) {
        if (first) (first = false), request.onModelFirstChunk?.();
        clearTimeout(timer);
        timer = setTimeout(() => watchdog.abort(new Error("model stalled")), this.#options.timeoutMs);
        if (chunk.response_metadata?.finish_reason) finished = true;
        if (chunk.usage_metadata?.total_tokens) usage.tokens = chunk.usage_metadata.total_tokens;
        const piece = typeof chunk.content === "string" ? chunk.content : chunk.content.map((part) => ("text" in part ? part.text : "")).join("");
        if (!piece) continue;
        if (header !== null) {
          // Hold everything back until the verdict is read (or clearly absent).
          const read = readVerdictHeader((header += piece), false);
          if (!read) continue;
          verdict = read.verdict;
          delivery ??= request.onVerdict(verdict);
          header = null;
          output.push(read.rest);
        } else {
          // The line break after the verdict may come in a piece of its own.
          output.push(output.isEmpty ? piece.replace(/^\s+/, "") : piece);
        }
        if (Date.now() - lastFlush >= FLUSH_MS) await flush(false);
      }
      // A connection that closes mid-answer can look like the end of the stream: only a finish reason proves it is.
      if (!finished) throw new Error("the model's stream ended before the answer finished");
      if (header !== null) {
        const read = readVerdictHeader(header, true)!;
        verdict = read.verdict;
        delivery ??= request.onVerdict(verdict);
        output.push(read.rest);
      }
      await flush(true);
    } catch (error) {
      throw new AttemptError(error, delivery);
    } finally {
      clearTimeout(timer);
    }
    const text = output.text.trim();
    const passages = modelPassages(request.plan, request.retrieval);
    const markers = parseCitationMarkers(text).filter((marker) => marker >= 1 && marker <= passages.length);
    return {
      text,
      cited: markers.map((marker) => ({ passage: passages[marker - 1]!, marker })),
      verdict,
      delivery: delivery ?? "stream",
    };
  }
}

/** A failed attempt, remembering the delivery decided before it failed so a retry keeps it. */
class AttemptError extends Error {
  readonly delivery: Delivery | undefined;
  constructor(cause: unknown, delivery: Delivery | undefined) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.delivery = delivery;
  }
}

/**
 * Accumulates output and hands out only text that can no longer be the start of a secret, with
 * any complete secret replaced.
 */
class RedactingBuffer {
  readonly #secrets: string[];
  #text = "";
  #given = 0;

  constructor(secrets: readonly string[]) {
    this.#secrets = secrets.filter((secret) => secret.length >= 8);
  }

  get text(): string {
    return this.#redact(this.#text);
  }

  get isEmpty(): boolean {
    return this.#text === "";
  }

  push(piece: string): void {
    this.#text += piece;
  }

  take(final: boolean): string {
    const safe = this.#redact(this.#text);
    const end = final ? safe.length : Math.max(this.#given, safe.length - this.#pendingPrefix(safe));
    const piece = safe.slice(this.#given, end);
    this.#given = end;
    return piece;
  }

  /** Length of the longest end of the text that could still grow into a secret: only that is held back. */
  #pendingPrefix(text: string): number {
    let longest = 0;
    for (const secret of this.#secrets) {
      for (let length = Math.min(secret.length - 1, text.length); length > longest; length -= 1) {
        if (text.endsWith(secret.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }

  #redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) result = result.split(secret).join("[redacted]");
    return result;
  }
}

function isRetryable(error: unknown): boolean {
  const cause = error instanceof AttemptError ? error.cause : error;
  const status = (cause as { status?: number; response?: { status?: number } })?.status ?? (cause as { response?: { status?: number } })?.response?.status;
  if (typeof status === "number") return status === 408 || status === 409 || status === 429 || status >= 500;
  return true;
}

/** Tokens of a text when the server reports none: one per Han character, one per four other characters. */
function estimateTokens(text: string): number {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  return han + Math.ceil((text.length - han) / 4);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}
