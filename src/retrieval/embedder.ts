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
