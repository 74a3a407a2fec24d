/** Turns texts into vectors of a fixed size. `id` names the model and its settings: change it and the index is rebuilt. */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /**
   * Weight of this embedder's ranking against lexical search in hybrid fusion (default 1). An
   * embedder that only re-hashes the words lexical search already sees adds little meaning and
   * should count less.
   */
  readonly fusionWeight?: number;
  /**
   * Weight of its ranking over the whole store (default fusionWeight); the ranking within the page's
   * product keeps fusionWeight. Zero when, store-wide, it only repeats what lexical search found.
   */
  readonly storeWideFusionWeight?: number;
}

/** Texts embedded per call when a whole knowledge change is embedded. */
const EMBED_BATCH = 64;

/** Embed many texts a batch at a time, yielding between batches so that a large change never holds its thread long. */
export async function embedInBatches(embedder: Embedder, texts: readonly string[]): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += EMBED_BATCH) {
    vectors.push(...(await embedder.embed(texts.slice(start, start + EMBED_BATCH))));
    if (start + EMBED_BATCH < texts.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return vectors;
}
