import type { Config } from "../config.ts";
import type { Embedder } from "./embedder.ts";
import { HashingEmbedder } from "./hashing-embedder.ts";

/** The embedder config names. Heavier ones are imported only when chosen. */
export async function createEmbedder(config: Config["embedding"]): Promise<Embedder> {
  switch (config.kind) {
    case "hashing":
      return new HashingEmbedder();
    case "openai": {
      const { OpenAiEmbedder } = await import("./openai-embedder.ts");
      const embedder = new OpenAiEmbedder({ baseUrl: config.baseUrl!, apiKey: config.apiKey ?? "not-needed", model: config.model });
      await embedder.embed(["dimensions"]);
      return embedder;
    }
    case "use": {
      const { loadUseEmbedder } = await import("./use-embedder.ts");
      return loadUseEmbedder();
    }
  }
}
