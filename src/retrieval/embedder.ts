/** Turns texts into vectors of a fixed size. `id` names the model and its settings: change it and the index is rebuilt. */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
