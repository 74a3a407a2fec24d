import { ChatOpenAI } from "@langchain/openai";
import type { Config } from "../config.ts";

/**
 * The chat model client, with every setting passed explicitly so nothing is read from OPENAI_*
 * environment variables. Retries are ours (see llm-answerer.ts): a broken stream must be retried
 * too, and only while the shopper has seen nothing of it.
 */
export function createChatModel(llm: NonNullable<Config["llm"]>): ChatOpenAI {
  return new ChatOpenAI({
    model: llm.model,
    apiKey: llm.apiKey,
    configuration: { baseURL: llm.baseUrl },
    timeout: llm.timeoutMs,
    maxRetries: 0,
    temperature: llm.temperature,
    maxTokens: llm.maxTokens,
    streaming: true,
    // The last chunk then carries the token usage, which the LLM token budget and metrics count.
    streamUsage: true,
    useResponsesApi: false,
  });
}
