import { OpenAIEmbeddings } from "@langchain/openai";
import { maskPersonalData } from "../privacy/mask-personal-data.ts";
import type { Embedder } from "./embedder.ts";

/** Embeddings from any OpenAI-compatible API, with every client setting passed explicitly; personal data is masked before it is sent. */
export class OpenAiEmbedder implements Embedder {
  readonly id: string;
  dimensions = 0;
  readonly #client: OpenAIEmbeddings;

  constructor(options: { baseUrl: string; apiKey: string; model: string; dimensions?: number }) {
    this.id = `openai:${options.model}`;
    this.#client = new OpenAIEmbeddings({
      model: options.model,
      apiKey: options.apiKey,
      configuration: { baseURL: options.baseUrl },
      timeout: 30_000,
      maxRetries: 2,
      batchSize: 64,
    });
    if (options.dimensions) this.dimensions = options.dimensions;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors = await this.#client.embedDocuments(texts.map(maskPersonalData));
    if (vectors[0]) this.dimensions = vectors[0].length;
    return vectors.map((vector) => Float32Array.from(vector));
  }
}
